package gateway.driver.nibe.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpSimulator;

/** The NIBE S2125 simulator service. */
@Component(service = HeatpumpSimulator.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + NibeModel.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=s2125"})
public class NibeS2125SimulatorService extends NibeSimulatorService {

    public NibeS2125SimulatorService() {
        super(NibeModel.S2125);
    }

    @Deactivate
    void deactivate() {
        closeAll();
    }
}
