package gateway.driver.stiebel.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceSession;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.ReadGroup;
import gateway.core.api.ReadResult;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.modbus.AddressRange;
import gateway.core.modbus.ModbusTransport;
import gateway.core.modbus.PlannerLimits;
import gateway.core.modbus.RegisterCodec;
import gateway.core.modbus.RequestPlanner;
import gateway.core.modbus.WordOrder;

/**
 * One connection to an ISG. At connect it reads the controller identification (input 5002) and refuses a controller
 * the configured model's map does not fit. Then each block of the map is planned and read on its own, so no request
 * spans two blocks:
 * <ul>
 * <li>an optional block the ISG answers with exception 02 is dropped for the rest of the session (its sensors read
 * "invalid: not offered"), as pystiebeleltron does; one request per connection finds out;</li>
 * <li>a core block answered with exception 02 is read again register by register; registers refused on their own are
 * remembered and never asked for again in this session;</li>
 * <li>values split over registers (kWh + MWh) are summed here, and are invalid when any part is 0x8000.</li>
 * </ul>
 * Writes go out as FC06 (write single register) only; the ISG's FC16 is unverified (fact sheet §11).
 */
final class StiebelSession implements DeviceSession {

    private static final Logger LOG = LoggerFactory.getLogger(StiebelSession.class);
    /** One register per value on the ISG; the order only matters to the codec's signature. */
    private static final WordOrder ORDER = WordOrder.HIGH_WORD_FIRST;

    private final ConnectionConfig config;
    private final StiebelModel model;
    private final Map<String, StiebelRegister> rows = new LinkedHashMap<>();
    private final ModbusTransport transport;
    private final Set<StiebelBlock> dropped = EnumSet.noneOf(StiebelBlock.class);
    /** Spans of core blocks the ISG refused (exception 02); no request covers one again in this session. */
    private final Set<AddressRange> refused = new HashSet<>();
    private boolean identified;
    private StiebelController controller;

    StiebelSession(ConnectionConfig config, StiebelModel model, List<StiebelRegister> rows) {
        this.config = config;
        this.model = model;
        rows.forEach(r -> this.rows.put(r.id(), r));
        this.transport = new ModbusTransport(config);
    }

    /** The controller the ISG identified, empty before the first request or when it has no identification. */
    Optional<StiebelController> controller() {
        return Optional.ofNullable(controller);
    }

    /** Blocks dropped in this session after exception 02. */
    Set<StiebelBlock> droppedBlocks() {
        Set<StiebelBlock> copy = EnumSet.noneOf(StiebelBlock.class);
        copy.addAll(dropped);
        return copy;
    }

    long requestsSent() {
        return transport.requestsSent();
    }

    @Override
    public ReadResult read(List<SensorDefinition> sensors) throws DeviceException {
        Instant at = Instant.now();
        long requestsBefore = transport.requestsSent();
        long bytesBefore = transport.bytesReceived();
        identify();
        Map<String, SensorReading> readings = new LinkedHashMap<>();
        Map<StiebelBlock, List<StiebelRegister>> byBlock = new EnumMap<>(StiebelBlock.class);
        for (SensorDefinition s : sensors) {
            if (!s.readable()) {
                continue;
            }
            StiebelRegister row = rows.get(s.id());
            if (row == null) {
                readings.put(s.id(), SensorReading.error(s.id(), "not a " + model.id() + " sensor", at));
            } else {
                byBlock.computeIfAbsent(row.block(), b -> new ArrayList<>()).add(row);
            }
        }
        for (Map.Entry<StiebelBlock, List<StiebelRegister>> e : byBlock.entrySet()) {
            StiebelBlock block = e.getKey();
            List<StiebelRegister> blockRows = e.getValue();
            Map<String, SensorReading> raw = dropped.contains(block) ? Map.of() : readBlock(block, blockRows, at);
            for (StiebelRegister row : blockRows) {
                readings.put(row.id(), dropped.contains(block)
                        ? SensorReading.invalid(row.id(), "not offered by this controller (block dropped after "
                                + "Modbus exception 02)", at)
                        : combine(row, raw, at));
            }
        }
        return new ReadResult(readings, (int) (transport.requestsSent() - requestsBefore),
                transport.bytesReceived() - bytesBefore);
    }

    @Override
    public void write(SensorDefinition sensor, double value) throws DeviceException {
        StiebelRegister row = rows.get(sensor.id());
        if (row == null || row.composite() || !row.sensor().writable()
                || row.sensor().registerKind() != RegisterKind.HOLDING) {
            throw new DeviceProtocolException(sensor.id() + " is not a writable " + model.id() + " parameter", 0);
        }
        identify();
        int[] regs = RegisterCodec.encode(row.sensor(), value, ORDER);
        guard(() -> transport.writeRegisters(row.sensor().address(), regs, true));
    }

    @Override
    public boolean connected() {
        return transport.connected();
    }

    @Override
    public void close() {
        transport.close();
    }

    // ---- identification -------------------------------------------------------------------------------------

    /** Once per connection: what the ISG says it is connected to must be what the device is configured as. */
    private void identify() throws DeviceException {
        if (identified && transport.connected()) {
            return;
        }
        identified = false;
        int number = StiebelRegisterMap.IDENTIFICATION_NUMBER;
        int id;
        try {
            id = guardRead(RegisterKind.INPUT, StiebelRegisterMap.wire(number), 1)[0];
        } catch (DeviceProtocolException e) {
            if (e.code() != 2) {
                throw e;
            }
            // openhab-addons#12773: some ISGs refuse 5001–5002; then the configured model has to be trusted
            LOG.warn("stiebel {}: the ISG has no controller identification (exception 02); trusting model {}",
                    config.endpointKey(), model.id());
            identified = true;
            return;
        }
        if (id == StiebelRegisterMap.NOT_AVAILABLE) {
            LOG.warn("stiebel {}: controller identification not available; trusting model {}",
                    config.endpointKey(), model.id());
            identified = true;
            return;
        }
        Optional<StiebelController> known = StiebelController.byId(id);
        if (known.isEmpty()) {
            throw new DeviceProtocolException("the ISG reports controller id " + id
                    + (id == StiebelController.WPM_II ? " (WPM II)" : "")
                    + ", for which Stiebel Eltron publishes no Modbus map; supported are "
                    + supported() + ". Nothing is read or written.", 0);
        }
        StiebelController c = known.get();
        if (c.model() != model) {
            throw new DeviceProtocolException("the ISG reports controller " + c.displayName() + " (controller id " + id
                    + "), which is model '" + c.model().id() + "', but this device is configured as model '"
                    + model.id() + "'. Change the device's model to '" + c.model().id()
                    + "'; nothing is read or written until then.", 0);
        }
        if (controller != c) {
            LOG.info("stiebel {}: ISG reports {} (id {})", config.endpointKey(), c.displayName(), id);
        }
        controller = c;
        identified = true;
    }

    private static String supported() {
        List<String> out = new ArrayList<>();
        for (StiebelController c : StiebelController.values()) {
            out.add(c.id() + " " + c.displayName());
        }
        return String.join(", ", out);
    }

    // ---- reading --------------------------------------------------------------------------------------------

    private Map<String, SensorReading> readBlock(StiebelBlock block, List<StiebelRegister> blockRows, Instant at)
            throws DeviceException {
        List<SensorDefinition> wire = new ArrayList<>();
        blockRows.forEach(r -> wire.addAll(r.wire()));
        Map<String, SensorReading> out = new LinkedHashMap<>();
        if (!readGroups(block, wire, at, out)) {
            return Map.of();
        }
        for (SensorDefinition s : wire) {
            out.putIfAbsent(s.id(), SensorReading.invalid(s.id(), "register " + (s.address() + 1)
                    + " is not offered by this controller (Modbus exception 02)", at));
        }
        return out;
    }

    /**
     * Reads sensors of one block in planned requests. A refused span of a core block is remembered and its sensors
     * planned again around every span refused so far; each round adds a new span, so this ends at single registers
     * at the latest, and a register refused alone is never asked for again in this session (the planner leaves it
     * out). Returns false when an optional block was refused and dropped.
     */
    private boolean readGroups(StiebelBlock block, List<SensorDefinition> sensors, Instant at,
                               Map<String, SensorReading> out) throws DeviceException {
        PlannerLimits limits = new PlannerLimits(StiebelRegisterMap.MAX_BLOCK, StiebelRegisterMap.MAX_GAP, List.of());
        for (ReadGroup g : RequestPlanner.plan(sensors, limits, refused)) {
            int[] regs;
            try {
                regs = guardRead(g.kind(), g.start(), g.count());
            } catch (DeviceProtocolException e) {
                if (e.code() != 2) {
                    g.sensors().forEach(s -> out.put(s.id(), SensorReading.error(s.id(), e.getMessage(), at)));
                    continue;
                }
                if (block.optional()) {
                    dropped.add(block);
                    LOG.info("stiebel {}: optional block {} refused (exception 02); not read again this session",
                            config.endpointKey(), block);
                    return false;
                }
                LOG.info("stiebel {}: {} {}..{} refused (exception 02); reading it in smaller requests",
                        config.endpointKey(), g.kind().id(), g.start() + 1, g.end());
                refused.add(new AddressRange(g.kind(), g.start(), g.end()));
                readGroups(block, g.sensors(), at, out);
                continue;
            }
            for (SensorDefinition s : g.sensors()) {
                out.put(s.id(), RegisterCodec.decode(s, regs, s.address() - g.start(), ORDER, at));
            }
        }
        return true;
    }

    /** A plain row's reading, or the sum of a split value's registers. */
    private static SensorReading combine(StiebelRegister row, Map<String, SensorReading> raw, Instant at) {
        if (!row.composite()) {
            SensorReading r = raw.get(row.id());
            return r != null ? r : SensorReading.error(row.id(), "not read", at);
        }
        double sum = 0;
        for (StiebelRegister.Term term : row.terms()) {
            SensorReading r = raw.get(term.raw().id());
            int number = term.raw().address() + 1;
            if (r == null || r.quality() == gateway.core.api.Quality.ERROR) {
                return SensorReading.error(row.id(), "register " + number + ": "
                        + (r == null ? "not read" : r.error()), at);
            }
            if (!r.good() || r.value() == null) {
                return SensorReading.invalid(row.id(), "register " + number + " is not available", at);
            }
            sum += r.value() * term.multiplier();
        }
        return SensorReading.good(row.id(), sum, null, at);
    }

    private int[] guardRead(RegisterKind kind, int start, int count) throws DeviceException {
        try {
            return transport.readRegisters(kind, start, count);
        } catch (DeviceUnreachableException e) {
            transport.close();
            identified = false;
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
            identified = false;
            throw e;
        }
    }
}
