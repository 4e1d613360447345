package gateway.driver.nibe.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpSimulator;

/** The NIBE S1155 simulator service. */
@Component(service = HeatpumpSimulator.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + NibeModel.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=s1155"})
public class NibeS1155SimulatorService extends NibeSimulatorService {

    public NibeS1155SimulatorService() {
        super(NibeModel.S1155);
    }

    @Deactivate
    void deactivate() {
        closeAll();
    }
}
