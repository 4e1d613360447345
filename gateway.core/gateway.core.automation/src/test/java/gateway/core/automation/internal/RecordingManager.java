package gateway.core.automation.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import gateway.core.api.AccessMode;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.DataType;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceState;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.ReadResult;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.WriteRejectedException;
import gateway.core.api.WriteRejectedException.Reason;
import gateway.core.api.WriteResult;

/**
 * A manager for engine tests: devices with sensors, a write switch, range checks, and a record of every write
 * attempt with its actor (the real write path is exercised by the in-framework test in gateway.app).
 */
final class RecordingManager implements HeatpumpManager {

    record Write(String heatpumpId, String sensorId, double value, String actor, boolean accepted) {
    }

    static final SensorDefinition SETPOINT = SensorDefinition.builder("setpoint_dhw").name("Hot water setpoint")
            .unit("°C").type(DataType.INT16).access(AccessMode.READ_WRITE).kind(RegisterKind.HOLDING).address(10)
            .range(35, 60).build();
    static final SensorDefinition MODE = SensorDefinition.builder("operating_mode").name("Operating mode")
            .type(DataType.ENUM).access(AccessMode.READ_WRITE).kind(RegisterKind.HOLDING).address(11)
            .enumValue(0, "Off").enumValue(1, "Heating").enumValue(2, "Hot water").build();
    static final SensorDefinition HOT_WATER = SensorDefinition.builder("temp_hot_water").name("Hot water temperature")
            .unit("°C").type(DataType.INT16).access(AccessMode.READ_ONLY).kind(RegisterKind.INPUT).address(1)
            .scale(0.1).build();
    static final SensorDefinition FAULT = SensorDefinition.builder("common_fault").name("Common fault")
            .type(DataType.ENUM).access(AccessMode.READ_ONLY).kind(RegisterKind.INPUT).address(2)
            .enumValue(0, "none").enumValue(1, "fault").build();
    static final List<SensorDefinition> SENSORS = List.of(SETPOINT, MODE, HOT_WATER, FAULT);

    final Map<String, Heatpump> devices = new LinkedHashMap<>();
    final Map<String, DeviceSnapshot> latest = new LinkedHashMap<>();
    final Map<String, DeviceState> states = new LinkedHashMap<>();
    final List<Write> writes = new CopyOnWriteArrayList<>();
    volatile boolean writeEnabled = true;
    /** Writes to these devices wait until {@link #release} counts down: a device that does not answer. */
    final Set<String> hung = ConcurrentHashMap.newKeySet();
    final CountDownLatch release = new CountDownLatch(1);

    RecordingManager device(String id, String name) {
        devices.put(id, new Heatpump(id, name, "testmaker", "model-a", new ConnectionConfig("127.0.0.1", 502, 1,
                1000, Map.of()), null, 30, true, Instant.EPOCH, Instant.EPOCH));
        states.put(id, DeviceState.ONLINE);
        return this;
    }

    List<Write> accepted() {
        return writes.stream().filter(Write::accepted).toList();
    }

    private Heatpump known(String id) throws UnknownHeatpumpException {
        Heatpump hp = devices.get(id);
        if (hp == null) {
            throw new UnknownHeatpumpException(id);
        }
        return hp;
    }

    @Override
    public List<Heatpump> heatpumps() {
        return new ArrayList<>(devices.values());
    }

    @Override
    public Optional<Heatpump> heatpump(String id) {
        return Optional.ofNullable(devices.get(id));
    }

    @Override
    public Heatpump create(Heatpump heatpump) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Heatpump update(Heatpump heatpump) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void delete(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Heatpump setEnabled(String id, boolean enabled) {
        throw new UnsupportedOperationException();
    }

    @Override
    public DeviceStatus status(String id) throws UnknownHeatpumpException {
        known(id);
        return new DeviceStatus(id, states.get(id), 0, 0, null, null, null, 1, 10, 5, null, 1, SENSORS.size());
    }

    @Override
    public List<SensorDefinition> sensors(String id) throws UnknownHeatpumpException {
        known(id);
        return SENSORS;
    }

    @Override
    public Optional<DeviceSnapshot> latest(String id) throws UnknownHeatpumpException {
        known(id);
        return Optional.ofNullable(latest.get(id));
    }

    @Override
    public WriteResult write(String id, String sensorId, double value, String actor)
            throws UnknownHeatpumpException, WriteRejectedException {
        known(id);
        if (hung.contains(id)) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the device hung", e);
            }
        }
        if (!writeEnabled) {
            writes.add(new Write(id, sensorId, value, actor, false));
            throw new WriteRejectedException(Reason.WRITES_DISABLED, "writes are disabled");
        }
        SensorDefinition s = SENSORS.stream().filter(d -> d.id().equals(sensorId)).findFirst().orElse(null);
        if (s == null || !s.writable()) {
            writes.add(new Write(id, sensorId, value, actor, false));
            throw new WriteRejectedException(Reason.NOT_WRITABLE, "sensor " + sensorId + " is not writable");
        }
        if (s.min() != null && value < s.min() || s.max() != null && value > s.max()) {
            writes.add(new Write(id, sensorId, value, actor, false));
            throw new WriteRejectedException(Reason.OUT_OF_RANGE, value + " is outside " + s.min() + ".." + s.max());
        }
        writes.add(new Write(id, sensorId, value, actor, true));
        return new WriteResult(id, sensorId, null, value, value, true, "wrote " + value);
    }

    @Override
    public ReadResult testConnection(Heatpump heatpump) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean writeEnabled() {
        return writeEnabled;
    }

    @Override
    public void setWriteEnabled(boolean enabled, String actor) {
        writeEnabled = enabled;
    }
}
