package gateway.driver.stiebel.internal;

import org.osgi.service.component.annotations.Component;

import gateway.core.api.HeatpumpDriver;

/** The Stiebel Eltron LWZ driver service. */
@Component(service = HeatpumpDriver.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + StiebelModel.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=lwz"})
public class StiebelLwzDriver extends StiebelDriver {

    public StiebelLwzDriver() {
        super(StiebelModel.LWZ);
    }
}
