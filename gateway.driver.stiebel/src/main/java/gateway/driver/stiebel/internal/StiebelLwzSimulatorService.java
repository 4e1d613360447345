package gateway.driver.stiebel.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpSimulator;

/** The Stiebel Eltron LWZ simulator service (the demo starts one device of it). */
@Component(service = HeatpumpSimulator.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + StiebelModel.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=lwz"})
public class StiebelLwzSimulatorService extends StiebelSimulatorService {

    public StiebelLwzSimulatorService() {
        super(StiebelModel.LWZ);
    }

    @Deactivate
    void deactivate() {
        closeAll();
    }
}
