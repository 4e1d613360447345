package gateway.driver.daikin.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpSimulator;

/** The Daikin altherma_3_ekrhh simulator service. */
@Component(service = HeatpumpSimulator.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + DaikinModel.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=altherma_3_ekrhh"})
public class DaikinAltherma3EkrhhSimulatorService extends DaikinSimulatorService {

    public DaikinAltherma3EkrhhSimulatorService() {
        super(DaikinModel.ALTHERMA_3_EKRHH);
    }

    @Deactivate
    void deactivate() {
        closeAll();
    }
}
