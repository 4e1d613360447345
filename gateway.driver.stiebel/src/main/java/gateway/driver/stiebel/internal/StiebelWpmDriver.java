package gateway.driver.stiebel.internal;

import org.osgi.service.component.annotations.Component;

import gateway.core.api.HeatpumpDriver;

/** The Stiebel Eltron WPM driver service. */
@Component(service = HeatpumpDriver.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + StiebelModel.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=wpm"})
public class StiebelWpmDriver extends StiebelDriver {

    public StiebelWpmDriver() {
        super(StiebelModel.WPM);
    }
}
