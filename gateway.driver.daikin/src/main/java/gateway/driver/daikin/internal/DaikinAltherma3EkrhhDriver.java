package gateway.driver.daikin.internal;

import org.osgi.service.component.annotations.Component;

import gateway.core.api.HeatpumpDriver;

/** The Daikin Altherma 3 (EKRHH Home Hub) driver service. */
@Component(service = HeatpumpDriver.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + DaikinModel.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=altherma_3_ekrhh"})
public class DaikinAltherma3EkrhhDriver extends DaikinDriver {

    public DaikinAltherma3EkrhhDriver() {
        super(DaikinModel.ALTHERMA_3_EKRHH);
    }
}
