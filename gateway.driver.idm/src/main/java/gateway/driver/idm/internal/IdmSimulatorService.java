package gateway.driver.idm.internal;

import java.io.IOException;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpSimulator;
import gateway.core.modbus.SimulatedModbusDevice;
import gateway.core.modbus.SimulatedModbusDeviceService;

/**
 * Offers {@link IdmSimulator} to the demo mode and tests. Every simulator it started is stopped when the bundle stops,
 * so an update of the driver bundle leaves no thread or socket behind.
 */
@Component(service = HeatpumpSimulator.class, property = {
        HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + IdmDriver.MANUFACTURER_ID,
        HeatpumpDriver.MODEL_PROPERTY + "=" + IdmDriver.MODEL_ID})
public class IdmSimulatorService extends SimulatedModbusDeviceService {

    private static final Logger LOG = LoggerFactory.getLogger(IdmSimulatorService.class);

    public IdmSimulatorService() {
        super(IdmDriver.IDENTITY);
    }

    /** The simulator serves every circuit and zone module, so any valid configuration can poll it. */
    @Override
    protected SimulatedModbusDevice create(int port, DeviceConfig deviceConfig) throws IOException {
        if (deviceConfig != null) {
            List<String> problems = IdmRegisterMap.validate(deviceConfig);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
        }
        IdmSimulator sim = IdmSimulator.start(port);
        LOG.info("idm simulator started on 127.0.0.1:{}", sim.port());
        return sim;
    }

    @Deactivate
    void deactivate() {
        closeAll();
    }
}
