package gateway.core.modbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DashboardTemplate;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceSession;
import gateway.core.api.HeatpumpCapabilities;
import gateway.core.api.SensorDefinition;

class ModbusHeatpumpDriverTest {

    /** The least a driver must add: nothing of it is about identity. */
    private static final class MinimalDriver extends ModbusHeatpumpDriver {
        MinimalDriver(DriverIdentity identity) {
            super(identity);
        }

        public HeatpumpCapabilities capabilities(DeviceConfig deviceConfig) {
            return new HeatpumpCapabilities(true, false, false, false, false, false, false, false, List.of(), 0);
        }

        public List<SensorDefinition> sensors(DeviceConfig deviceConfig) {
            return List.of();
        }

        public List<String> validate(DeviceConfig deviceConfig) {
            return List.of();
        }

        public DeviceSession open(ConnectionConfig connection, DeviceConfig deviceConfig) {
            throw new UnsupportedOperationException();
        }

        public DashboardTemplate dashboardTemplate(DeviceConfig deviceConfig) {
            return new DashboardTemplate("minimal", List.of());
        }

        public String setupInstructions() {
            return "";
        }
    }

    @Test
    void answersEveryIdentityQuestionFromItsRecordAndTheModbusStandard() {
        DriverIdentity identity = new DriverIdentity("acme", "ACME Heat", "x1", "ACME X1 (air/water)");
        MinimalDriver driver = new MinimalDriver(identity);
        assertEquals("acme", driver.manufacturerId());
        assertEquals("ACME Heat", driver.manufacturerName());
        assertEquals("x1", driver.modelId());
        assertEquals("ACME X1 (air/water)", driver.modelName());
        assertEquals("modbus_tcp", driver.protocol());
        assertEquals(502, driver.defaultPort());
        assertEquals(identity, driver.identity());
        assertEquals(30, driver.defaultPollIntervalSeconds(), "the SPI's default stays");
    }

    @Test
    void refusesAnIdentityWithAMissingIdOrName() {
        assertThrows(IllegalArgumentException.class, () -> new DriverIdentity(" ", "ACME", "x1", "X1"));
        assertThrows(IllegalArgumentException.class, () -> new DriverIdentity("acme", null, "x1", "X1"));
        assertThrows(IllegalArgumentException.class, () -> new DriverIdentity("acme", "ACME", "", "X1"));
        assertThrows(IllegalArgumentException.class, () -> new DriverIdentity("acme", "ACME", "x1", null));
        assertThrows(IllegalArgumentException.class, () -> new MinimalDriver(null));
    }
}
