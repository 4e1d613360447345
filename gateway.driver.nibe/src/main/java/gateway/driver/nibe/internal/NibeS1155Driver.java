package gateway.driver.nibe.internal;

import org.osgi.service.component.annotations.Component;

import gateway.core.api.HeatpumpDriver;

/** The NIBE S1155 driver service. */
@Component(service = HeatpumpDriver.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + NibeModel.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=s1155"})
public class NibeS1155Driver extends NibeDriver {

    public NibeS1155Driver() {
        super(NibeModel.S1155);
    }
}
