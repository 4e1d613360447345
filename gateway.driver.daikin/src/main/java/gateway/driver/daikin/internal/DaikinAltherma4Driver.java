package gateway.driver.daikin.internal;

import org.osgi.service.component.annotations.Component;

import gateway.core.api.HeatpumpDriver;

/** The Daikin Altherma 4 (native Modbus) driver service. */
@Component(service = HeatpumpDriver.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + DaikinModel.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=altherma_4"})
public class DaikinAltherma4Driver extends DaikinDriver {

    public DaikinAltherma4Driver() {
        super(DaikinModel.ALTHERMA_4);
    }
}
