package gateway.driver.nibe.internal;

import org.osgi.service.component.annotations.Component;

import gateway.core.api.HeatpumpDriver;

/** The NIBE S1255 driver service. */
@Component(service = HeatpumpDriver.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + NibeModel.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=s1255"})
public class NibeS1255Driver extends NibeDriver {

    public NibeS1255Driver() {
        super(NibeModel.S1255);
    }
}
