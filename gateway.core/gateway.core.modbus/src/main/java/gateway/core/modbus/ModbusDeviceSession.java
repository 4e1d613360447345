package gateway.core.modbus;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceSession;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.ReadGroup;
import gateway.core.api.ReadResult;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

/**
 * A table-driven {@link DeviceSession} over Modbus TCP: it plans block reads once per sensor set, decodes with the
 * profile's word order, and learns which blocks the device rejects.
 *
 * <p>When a block gets exception 02 (illegal data address) or 03 (illegal data value, a device whose block limit is
 * smaller than configured), the session remembers the block for the device's endpoint and reads the block's sensors
 * again in smaller requests planned around it; later polls never send that block again. The memory outlives the
 * session (the manager reopens sessions on reconnect) and lives until {@link #forgetRejectedBlocks(String)}. A sensor
 * whose own registers are rejected reads as ERROR; the others are unaffected.
 */
public class ModbusDeviceSession implements DeviceSession {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusDeviceSession.class);
    private static final int PLAN_CACHE_SIZE = 8;
    private static final Map<String, Set<AddressRange>> REJECTED = new ConcurrentHashMap<>();

    private final ConnectionConfig config;
    private final ModbusDeviceProfile profile;
    private final ModbusTransport transport;
    private final Map<List<SensorDefinition>, CachedPlan> plans = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<List<SensorDefinition>, CachedPlan> eldest) {
            return size() > PLAN_CACHE_SIZE;
        }
    };

    private record CachedPlan(Set<AddressRange> rejected, List<ReadGroup> groups) {
    }

    public ModbusDeviceSession(ConnectionConfig config, ModbusDeviceProfile profile) {
        this.config = config;
        this.profile = profile;
        this.transport = new ModbusTransport(config);
    }

    /** Blocks the device at this endpoint ({@link ConnectionConfig#endpointKey()}) has rejected so far. */
    public static Set<AddressRange> rejectedBlocks(String endpointKey) {
        Set<AddressRange> set = REJECTED.get(endpointKey);
        return set == null ? Set.of() : Set.copyOf(set);
    }

    /** Forgets what a device rejected (e.g. after its configuration or firmware changed). */
    public static void forgetRejectedBlocks(String endpointKey) {
        REJECTED.remove(endpointKey);
    }

    @Override
    public ReadResult read(List<SensorDefinition> sensors) throws DeviceException {
        Instant at = Instant.now();
        long requestsBefore = transport.requestsSent();
        long bytesBefore = transport.bytesReceived();
        Map<String, SensorReading> readings = new LinkedHashMap<>();
        List<ReadGroup> groups = plan(sensors);
        for (ReadGroup g : groups) {
            readGroup(g, at, readings);
        }
        for (SensorDefinition s : sensors) {
            if (s.readable() && !readings.containsKey(s.id())) {
                readings.put(s.id(), SensorReading.error(s.id(), s.registerKind().modbus()
                        ? "no request can read " + s.registerKind().id() + " " + s.address()
                        + " (forbidden, rejected by the device or wider than the block limit)"
                        : "not a Modbus register: " + s.registerKind().id(), at));
            }
        }
        return new ReadResult(readings, (int) (transport.requestsSent() - requestsBefore),
                transport.bytesReceived() - bytesBefore);
    }

    @Override
    public void write(SensorDefinition sensor, double value) throws DeviceException {
        switch (sensor.registerKind()) {
            case HOLDING: {
                int[] regs = RegisterCodec.encode(sensor, value, profile.writeWordOrder());
                guard(() -> transport.writeRegisters(sensor.address(), regs, profile.singleWriteFunction()));
                return;
            }
            case COIL:
                guard(() -> transport.writeCoil(sensor.address(), value != 0));
                return;
            default:
                throw new DeviceProtocolException(sensor.id() + ": " + sensor.registerKind().id()
                        + " registers cannot be written", 0);
        }
    }

    @Override
    public boolean connected() {
        return transport.connected();
    }

    @Override
    public void close() {
        transport.close();
    }

    /** Requests this session has sent (all reads and writes). */
    public long requestsSent() {
        return transport.requestsSent();
    }

    private List<ReadGroup> plan(List<SensorDefinition> sensors) {
        Set<AddressRange> rejected = rejectedBlocks(config.endpointKey());
        List<SensorDefinition> key = List.copyOf(sensors);
        CachedPlan cached = plans.get(key);
        if (cached == null || !cached.rejected().equals(rejected)) {
            cached = new CachedPlan(rejected, RequestPlanner.plan(key, profile.limits(), rejected));
            plans.put(key, cached);
        }
        return cached.groups();
    }

    private void readGroup(ReadGroup g, Instant at, Map<String, SensorReading> readings) throws DeviceException {
        int[] regs;
        try {
            regs = guardRead(g);
        } catch (DeviceProtocolException e) {
            if (e.code() == 2 || e.code() == 3) {
                AddressRange block = new AddressRange(g.kind(), g.start(), g.end());
                REJECTED.computeIfAbsent(config.endpointKey(), k -> ConcurrentHashMap.newKeySet()).add(block);
                LOG.info("modbus {}: device rejected {} {}..{} (exception {}), splitting and never sending it again",
                        config.endpointKey(), g.kind().id(), g.start(), g.end() - 1, e.code());
                // Re-plan only this group's sensors around everything rejected so far; each round rejects a new,
                // distinct block, so this ends at single sensors at the latest.
                for (ReadGroup sub : RequestPlanner.plan(g.sensors(), profile.limits(),
                        rejectedBlocks(config.endpointKey()))) {
                    readGroup(sub, at, readings);
                }
                for (SensorDefinition s : g.sensors()) {
                    readings.putIfAbsent(s.id(), SensorReading.error(s.id(), "device rejects " + g.kind().id() + " "
                            + s.address() + ": " + e.getMessage(), at));
                }
                return;
            }
            for (SensorDefinition s : g.sensors()) {
                readings.put(s.id(), SensorReading.error(s.id(), e.getMessage(), at));
            }
            return;
        }
        for (SensorDefinition s : g.sensors()) {
            readings.put(s.id(), RegisterCodec.decode(s, regs, s.address() - g.start(), profile.readWordOrder(), at));
        }
    }

    private int[] guardRead(ReadGroup g) throws DeviceException {
        try {
            return transport.readRegisters(g.kind(), g.start(), g.count());
        } catch (DeviceUnreachableException e) {
            transport.close();
            throw e;
        }
    }

    private interface DeviceCall {
        void run() throws DeviceException;
    }

    private void guard(DeviceCall call) throws DeviceException {
        try {
            call.run();
        } catch (DeviceUnreachableException e) {
            transport.close();
            throw e;
        }
    }
}
