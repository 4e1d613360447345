package gateway.driver.daikin.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpSimulator;

/** The Daikin altherma_4 simulator service. */
@Component(service = HeatpumpSimulator.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + DaikinModel.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=altherma_4"})
public class DaikinAltherma4SimulatorService extends DaikinSimulatorService {

    public DaikinAltherma4SimulatorService() {
        super(DaikinModel.ALTHERMA_4);
    }

    @Deactivate
    void deactivate() {
        closeAll();
    }
}
