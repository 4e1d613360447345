package gateway.core.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import gateway.core.api.AccessMode;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.DashboardTemplate;
import gateway.core.api.DataType;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceSession;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.HeatpumpCapabilities;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.ReadResult;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorFlag;
import gateway.core.api.SensorReading;
import gateway.core.modbus.ModbusDeviceProfile;
import gateway.core.modbus.ModbusDeviceSession;
import gateway.core.modbus.WordOrder;

/**
 * A tiny but real Modbus TCP driver: its sessions are {@link ModbusDeviceSession}s talking to a
 * {@link gateway.core.modbus.ModbusSimulatorServer} over a loopback socket. It keeps track of the sessions it
 * opened so tests can see whether the manager closed them.
 */
public class TestDriver implements HeatpumpDriver {

    public static final String MANUFACTURER = "testmaker";
    public static final String MODEL = "model-a";
    public static final WordOrder ORDER = WordOrder.HIGH_WORD_FIRST;

    public static final SensorDefinition OUTDOOR = SensorDefinition.builder("temp_outdoor").name("Outdoor temperature")
            .category(SensorCategory.TEMPERATURE).unit("°C").type(DataType.INT16).scale(0.1)
            .kind(RegisterKind.HOLDING).address(0).build();
    public static final SensorDefinition POWER = SensorDefinition.builder("power_electric").name("Electric power")
            .category(SensorCategory.POWER).unit("kW").type(DataType.UINT16).scale(0.01)
            .kind(RegisterKind.HOLDING).address(1).build();
    /** EEPROM-backed, whole degrees (UINT8). */
    public static final SensorDefinition DHW_SETPOINT = SensorDefinition.builder("setpoint_dhw").name("Hot water setpoint")
            .category(SensorCategory.SETPOINT).unit("°C").type(DataType.UINT8).access(AccessMode.READ_WRITE)
            .kind(RegisterKind.HOLDING).address(10).range(35, 60).flag(SensorFlag.EEPROM).build();
    /** Half-degree steps on a tenth-degree register. */
    public static final SensorDefinition ROOM_SETPOINT = SensorDefinition.builder("setpoint_room").name("Room setpoint")
            .category(SensorCategory.SETPOINT).unit("°C").type(DataType.INT16).scale(0.1)
            .access(AccessMode.READ_WRITE).kind(RegisterKind.HOLDING).address(11).range(15, 25).step(0.5).build();
    public static final SensorDefinition MODE = SensorDefinition.builder("operating_mode").name("Operating mode")
            .category(SensorCategory.MODE).type(DataType.ENUM).access(AccessMode.READ_WRITE)
            .kind(RegisterKind.HOLDING).address(12).enumValue(0, "off").enumValue(1, "auto").enumValue(2, "heating")
            .flag(SensorFlag.EEPROM).build();
    /** The device forgets this unless rewritten (like a PV surplus feed-in value). */
    public static final SensorDefinition PV_SURPLUS = SensorDefinition.builder("pv_surplus").name("PV surplus")
            .category(SensorCategory.POWER).unit("kW").type(DataType.FLOAT32).access(AccessMode.READ_WRITE)
            .kind(RegisterKind.HOLDING).address(20).range(0, 50).refreshSeconds(3).build();
    public static final SensorDefinition ACKNOWLEDGE = SensorDefinition.builder("acknowledge_faults")
            .name("Acknowledge faults").category(SensorCategory.CONTROL).type(DataType.UINT16)
            .access(AccessMode.WRITE_ONLY).kind(RegisterKind.HOLDING).address(30).range(0, 1)
            .flag(SensorFlag.NO_CYCLIC_WRITE).build();

    public static final List<SensorDefinition> SENSORS = List.of(OUTDOOR, POWER, DHW_SETPOINT, ROOM_SETPOINT, MODE,
            PV_SURPLUS, ACKNOWLEDGE);

    public static final ModbusDeviceProfile PROFILE = new ModbusDeviceProfile(ORDER, ORDER, 125, 16, List.of(), false);

    public final List<TrackedSession> sessions = new CopyOnWriteArrayList<>();
    private final String model;

    public TestDriver() {
        this(MODEL);
    }

    public TestDriver(String model) {
        this.model = model;
    }

    @Override
    public String manufacturerId() {
        return MANUFACTURER;
    }

    @Override
    public String manufacturerName() {
        return "Test Maker";
    }

    @Override
    public String modelId() {
        return model;
    }

    @Override
    public String modelName() {
        return "Model " + model.substring(model.length() - 1).toUpperCase();
    }

    @Override
    public String protocol() {
        return "modbus_tcp";
    }

    @Override
    public int defaultPort() {
        return 502;
    }

    @Override
    public int defaultPollIntervalSeconds() {
        return 1;
    }

    @Override
    public HeatpumpCapabilities capabilities(DeviceConfig deviceConfig) {
        return new HeatpumpCapabilities(true, false, true, false, false, true, false, true, List.of("A", "B"), 0);
    }

    @Override
    public List<SensorDefinition> sensors(DeviceConfig deviceConfig) {
        // a new list of new (equal) definitions on every call, as the real drivers' register maps make them
        return SENSORS.stream().map(d -> d.toBuilder().build()).toList();
    }

    @Override
    public List<String> validate(DeviceConfig deviceConfig) {
        return deviceConfig.circuits().stream().filter(c -> !Set.of("A", "B").contains(c))
                .map(c -> "unknown heating circuit " + c).toList();
    }

    @Override
    public DeviceSession open(ConnectionConfig connection, DeviceConfig deviceConfig) throws DeviceException {
        TrackedSession s = new TrackedSession(new ModbusDeviceSession(connection, PROFILE));
        sessions.add(s);
        return s;
    }

    @Override
    public DashboardTemplate dashboardTemplate(DeviceConfig deviceConfig) {
        return new DashboardTemplate("Overview", List.of(
                new DashboardTemplate.Chart("Temperatures", "line", List.of("temp_outdoor", "setpoint_room"), 24)));
    }

    @Override
    public String setupInstructions() {
        return "Enable Modbus TCP.";
    }

    /** Heating in summer is refused, as a stand-in for a device-state-dependent write gate. */
    @Override
    public Optional<String> refuseWrite(SensorDefinition sensor, double value, DeviceSnapshot latest) {
        if (sensor.id().equals(MODE.id()) && value == 2 && latest != null) {
            SensorReading outdoor = latest.reading(OUTDOOR.id());
            if (outdoor != null && outdoor.value() != null && outdoor.value() >= 25) {
                return Optional.of("heating mode refused at " + outdoor.value() + " °C outdoors");
            }
        }
        return Optional.empty();
    }

    public long openSessions() {
        return sessions.stream().filter(s -> !s.closed).count();
    }

    /** Delegates to the real Modbus session and remembers whether it was closed. */
    public static final class TrackedSession implements DeviceSession {
        private final DeviceSession delegate;
        volatile boolean closed;

        public TrackedSession(DeviceSession delegate) {
            this.delegate = delegate;
        }

        @Override
        public ReadResult read(List<SensorDefinition> sensors) throws DeviceException {
            return delegate.read(sensors);
        }

        @Override
        public void write(SensorDefinition sensor, double value) throws DeviceException {
            delegate.write(sensor, value);
        }

        @Override
        public boolean connected() {
            return delegate.connected();
        }

        @Override
        public void close() {
            closed = true;
            delegate.close();
        }
    }

    public static Map<String, Double> initialValues() {
        return Map.of(OUTDOOR.id(), 7.5, POWER.id(), 1.25, DHW_SETPOINT.id(), 48.0, ROOM_SETPOINT.id(), 20.0,
                MODE.id(), 1.0, PV_SURPLUS.id(), 0.0, ACKNOWLEDGE.id(), 0.0);
    }
}
