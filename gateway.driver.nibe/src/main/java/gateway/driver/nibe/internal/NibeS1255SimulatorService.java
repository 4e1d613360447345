package gateway.driver.nibe.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpSimulator;

/** The NIBE S1255 simulator service. */
@Component(service = HeatpumpSimulator.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + NibeModel.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=s1255"})
public class NibeS1255SimulatorService extends NibeSimulatorService {

    public NibeS1255SimulatorService() {
        super(NibeModel.S1255);
    }

    @Deactivate
    void deactivate() {
        closeAll();
    }
}
