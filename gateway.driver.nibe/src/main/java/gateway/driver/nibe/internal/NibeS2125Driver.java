package gateway.driver.nibe.internal;

import org.osgi.service.component.annotations.Component;

import gateway.core.api.HeatpumpDriver;

/** The NIBE S2125 driver service. */
@Component(service = HeatpumpDriver.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + NibeModel.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=s2125"})
public class NibeS2125Driver extends NibeDriver {

    public NibeS2125Driver() {
        super(NibeModel.S2125);
    }
}
