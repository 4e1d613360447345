package gateway.driver.luxtronik.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.HeatpumpSimulator;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorReading;
import gateway.core.simulation.ActiveFaults;
import gateway.core.simulation.LabelledFault;
import gateway.core.simulation.ShortCyclingTrip;
import gateway.core.simulation.SimulatedWeather;
import gateway.driver.luxtronik.internal.LuxtronikMap.Point;

/**
 * A Luxtronik 2.1 controller on 127.0.0.1 speaking 3002–3005 as fact sheet §2 and §8 describe: requests of 8 bytes
 * (12 for 3002), replies with the echo, the 3004 status word, N from the table size, one byte per visibility; an
 * unknown command closes the socket. One client at a time. Values move with a small thermal model.
 *
 * <p>By default the model runs on the wall clock (advanced at each 3004 read): the outdoor temperature follows a
 * 30-minute sine and the compressor a fixed 5 min on / 3 min off, so the demo moves visibly. After
 * {@link #weather(long)} a realistic model takes over: a 24 h day (coldest at 05:00) with seeded day-to-day weather,
 * an air/water unit controlled on the return temperature with the heating hysteresis (P88), hot water charged from
 * the target (P105) minus its hysteresis (P74) with showers at 07:00 and 19:00, defrosts below 3 °C outdoor, and the
 * labelled {@link LabelledFault}s. {@link #offline(String)} makes a simulator without socket that moves only on
 * {@link #step(double)} (the anomaly-detection harness).
 *
 * <p>Labelled faults (all six, realistic model only) show as: stuck sensor — the return TRL (C11) keeps its value;
 * drift — the flow TVL (C10) reads 1 K higher per hour; low flow — the heat meter flow (C155) reads a third and
 * TVL−TRL triples while running; short cycling — the compressor trips after 4 minutes and stays off 4 minutes;
 * failed defrost — defrost (C80 = 4) 15 of every 60 minutes of heating, the air leaving the evaporator (TWA, C20)
 * 12 K instead of 5 K below the air entering it, heat output (C257) 40 % lower at the same electrical power; hot water
 * not reached — TBW (C17) stops at 42 °C and the charge never ends.
 */
public final class LuxtronikSimulator implements HeatpumpSimulator.Running {

    private static final Logger LOG = LoggerFactory.getLogger(LuxtronikSimulator.class);

    /** Sizes suggested by fact sheet §8. */
    static final int PARAMETERS = 1160;
    static final int CALCULATIONS = 269;
    static final int VISIBILITIES = 380;

    /** One-shot faults, applied to the next 3003/3004/3005 reply. */
    public enum Fault {
        /** Half the reply, then the connection is closed. */
        DROP_MID_REPLY,
        /** Half the reply, then silence with the connection left open. */
        TRUNCATED_REPLY,
        /** The length word says 0x7FFFFFF0 entries; a few bytes follow, then silence. */
        OVERSIZED_LENGTH,
        /** A valid reply with 31 more entries than usual (newer firmware); clients must keep going. */
        EXTRA_ENTRIES,
        /** 64 random bytes instead of the reply. */
        GARBAGE
    }


    /** What happens to a second simultaneous client (the sheet allows either). */
    public enum SecondClient { REFUSE_NEW, DROP_OLD }

    private final Object state = new Object();
    private final int[] parameters = new int[PARAMETERS];
    private final int[] calculations = new int[CALCULATIONS];
    private final byte[] visibilities = new byte[VISIBILITIES];
    /** Null for an {@link #offline} simulator. */
    private final ServerSocket server;
    private final Thread acceptor;
    private final AtomicLong requests = new AtomicLong();
    private final Map<Integer, AtomicInteger> writes = new ConcurrentHashMap<>();
    private final AtomicInteger refusedClients = new AtomicInteger();
    private final Random random = new Random(42);

    private volatile Socket active;
    private volatile Thread activeHandler;
    private volatile int latencyMillis;
    private volatile boolean frozen;
    private volatile boolean heatQuantityBug;
    private volatile Fault nextFault;
    private volatile SecondClient secondClient = SecondClient.REFUSE_NEW;
    private volatile int rebootMillis = 3000;
    private volatile long rebootUntilNanos;
    private volatile boolean closed;

    // thermal model state (guarded by state)
    private final long startNanos = System.nanoTime();
    private long lastAdvanceNanos = startNanos;
    private double flowTenths = 300;
    private double heatingEnergyTenthKwh = 123_456;
    private double hotWaterEnergyTenthKwh = 45_678;
    private boolean compressorOn;

    // realistic model state (guarded by state)
    private enum Compressor { OFF, HEATING, HOT_WATER }
    /** Null: the demo model. */
    private SimulatedWeather weather;
    private double simSeconds;
    private Compressor running = Compressor.OFF;
    private double loopWater = 30;
    private double tank = 47;
    private double outdoorAverage = 5;
    private final ShortCyclingTrip shortCycling = ShortCyclingTrip.timedWhileFaulty();
    /** Labelled faults (anomaly detection evaluation); how each shows here is in the class comment. */
    private final ActiveFaults plantFaults = ActiveFaults.all(f -> {
        if (f == LabelledFault.STUCK_SENSOR) {
            stuckReturn = calculations[11];
        }
    });
    private int stuckReturn;

    private LuxtronikSimulator(ServerSocket server, String firmware) {
        this.server = server;
        initialValues();
        firmware(firmware);
        // time 0 exactly, not the nanoseconds construction took: two simulators stepped alike serve alike
        demoModel(0, 0);
        if (server == null) {
            acceptor = null;
            return;
        }
        acceptor = new Thread(this::acceptLoop, "luxtronik-sim-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A simulator without socket: the model moves only on {@link #step(double)}. */
    public static LuxtronikSimulator offline(String firmware) {
        return new LuxtronikSimulator(null, firmware);
    }

    /** Starts a simulator on 127.0.0.1:{@code port} (0 = any free port). */
    public static LuxtronikSimulator start(int port, String firmware) throws IOException {
        ServerSocket s = new ServerSocket(port, 8, InetAddress.getLoopbackAddress());
        return new LuxtronikSimulator(s, firmware);
    }

    // ---------------------------------------------------------------- configuration and faults

    /** The firmware string served in calculations 81–90 (at most 10 chars). */
    public void firmware(String firmware) {
        synchronized (state) {
            for (int i = 0; i < 10; i++) {
                calculations[81 + i] = i < firmware.length() ? firmware.charAt(i) : 0;
            }
        }
    }

    /** Serve heat quantities (C151–154) with the firmware sign bug: real value + 214748364. */
    public void heatQuantityBug(boolean on) {
        heatQuantityBug = on;
        synchronized (state) {
            publishEnergy();
        }
    }

    /** Stops (true) or resumes the thermal model, so tests can compare a poll with {@link #value}. */
    public void freeze(boolean on) {
        synchronized (state) {
            frozen = on;
            lastAdvanceNanos = System.nanoTime();
        }
    }

    public void injectFault(Fault fault) {
        nextFault = fault;
    }

    public void secondClient(SecondClient policy) {
        secondClient = policy;
    }

    /** How long a *.90 firmware stays off the network after a write. */
    public void rebootMillis(int millis) {
        rebootMillis = millis;
    }

    public void visibility(int index, boolean visible) {
        synchronized (state) {
            visibilities[index] = (byte) (visible ? 1 : 0);
        }
    }

    public void calculation(int index, int raw) {
        synchronized (state) {
            calculations[index] = raw;
        }
    }

    public int calculation(int index) {
        synchronized (state) {
            return calculations[index];
        }
    }

    public void parameter(int index, int raw) {
        synchronized (state) {
            parameters[index] = raw;
        }
    }

    public int parameter(int index) {
        synchronized (state) {
            return parameters[index];
        }
    }

    /** Writes received for a parameter index. */
    public int writeCount(int index) {
        AtomicInteger n = writes.get(index);
        return n == null ? 0 : n.get();
    }

    /** Connections turned away by the one-client rule or a reboot. */
    public int refusedClients() {
        return refusedClients.get();
    }

    // ---------------------------------------------------------------- HeatpumpSimulator.Running

    @Override
    public int port() {
        return server == null ? 0 : server.getLocalPort();
    }

    @Override
    public void latencyMillis(int millis) {
        latencyMillis = Math.max(0, millis);
    }

    @Override
    public void disconnectClients() {
        closeQuietly(active);
    }

    @Override
    public Double value(String sensorId) {
        Point p = LuxtronikMap.point(sensorId).orElse(null);
        if (p == null) {
            return null;
        }
        SensorReading r;
        synchronized (state) {
            int[] table = p.sensor().registerKind() == RegisterKind.PARAMETER ? parameters : calculations;
            r = LuxtronikDecoder.decode(p, table, java.time.Instant.now());
        }
        return r.value();
    }

    /** The text the simulator serves for a STRING/enum sensor (firmware, IP address, enum label). */
    public String text(String sensorId) {
        Point p = LuxtronikMap.point(sensorId).orElse(null);
        if (p == null) {
            return null;
        }
        synchronized (state) {
            int[] table = p.sensor().registerKind() == RegisterKind.PARAMETER ? parameters : calculations;
            return LuxtronikDecoder.decode(p, table, java.time.Instant.now()).text();
        }
    }

    @Override
    public int writeCount(String sensorId) {
        return LuxtronikMap.point(sensorId)
                .filter(p -> p.sensor().registerKind() == RegisterKind.PARAMETER)
                .map(p -> writeCount(p.sensor().address()))
                .orElse(0);
    }

    @Override
    public long requestCount() {
        return requests.get();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        closeQuietly(active);
        if (acceptor != null) {
            acceptor.interrupt();
        }
        Thread h = activeHandler;
        if (h != null) {
            h.interrupt();
        }
    }

    // ---------------------------------------------------------------- network

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("luxtronik simulator {}: accept failed: {}", port(), e.getMessage());
                }
                return;
            }
            if (System.nanoTime() < rebootUntilNanos) {
                refusedClients.incrementAndGet();
                closeQuietly(s); // rebooting: the controller is not there
                continue;
            }
            Thread old = activeHandler;
            if (old != null && old.isAlive()) {
                // A client that has just closed may not have been noticed yet; give its handler a moment.
                try {
                    old.join(250);
                } catch (InterruptedException e) {
                    closeQuietly(s);
                    return;
                }
            }
            if (old != null && old.isAlive()) {
                if (secondClient == SecondClient.REFUSE_NEW) {
                    refusedClients.incrementAndGet();
                    closeQuietly(s);
                    continue;
                }
                closeQuietly(active);
            }
            active = s;
            Thread handler = new Thread(() -> serve(s), "luxtronik-sim-client-" + port());
            handler.setDaemon(true);
            activeHandler = handler;
            handler.start();
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (!closed) {
                int command = in.readInt();
                int second = in.readInt();
                requests.incrementAndGet();
                int delay = latencyMillis;
                if (delay > 0) {
                    Thread.sleep(delay);
                }
                switch (command) {
                    case LuxtronikClient.CMD_READ_PARAMETERS, LuxtronikClient.CMD_READ_CALCULATIONS,
                            LuxtronikClient.CMD_READ_VISIBILITIES -> {
                        if (!sendTable(command, out, s)) {
                            return;
                        }
                    }
                    case LuxtronikClient.CMD_WRITE_PARAMETER -> {
                        if (!write(second, in.readInt(), out)) {
                            return;
                        }
                    }
                    default -> {
                        // Undocumented on real hardware (fact sheet §8.3); closing is the safest simulation.
                        return;
                    }
                }
            }
        } catch (IOException e) {
            // client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return false when the connection must end */
    private boolean sendTable(int command, OutputStream out, Socket s) throws IOException {
        Fault fault = nextFault;
        nextFault = null;
        byte[] reply;
        synchronized (state) {
            if (command == LuxtronikClient.CMD_READ_CALCULATIONS && !frozen) {
                advance();
            }
            int extra = fault == Fault.EXTRA_ENTRIES ? 31 : 0;
            reply = switch (command) {
                case LuxtronikClient.CMD_READ_PARAMETERS -> intTable(command, false, parameters, extra);
                case LuxtronikClient.CMD_READ_CALCULATIONS -> intTable(command, true, calculations, extra);
                default -> byteTable(command, visibilities, extra);
            };
        }
        if (fault == null || fault == Fault.EXTRA_ENTRIES) {
            out.write(reply);
            out.flush();
            return true;
        }
        switch (fault) {
            case DROP_MID_REPLY -> {
                out.write(reply, 0, reply.length / 2);
                out.flush();
                return false;
            }
            case TRUNCATED_REPLY -> {
                out.write(reply, 0, reply.length / 2);
                out.flush();
                return true; // silence; the client has to time out
            }
            case OVERSIZED_LENGTH -> {
                int lengthAt = command == LuxtronikClient.CMD_READ_CALCULATIONS ? 8 : 4;
                ByteBuffer.wrap(reply).putInt(lengthAt, 0x7FFFFFF0);
                out.write(reply, 0, lengthAt + 4 + 16);
                out.flush();
                return true;
            }
            case GARBAGE -> {
                byte[] junk = new byte[64];
                random.nextBytes(junk);
                out.write(junk);
                out.flush();
                return true;
            }
            default -> throw new IllegalStateException(fault.toString());
        }
    }

    /** 3003: [cmd][N][N×int32]; 3004: [cmd][status 0][N][N×int32]. */
    private static byte[] intTable(int command, boolean statusWord, int[] table, int extra) {
        int n = table.length + extra;
        ByteBuffer b = ByteBuffer.allocate((statusWord ? 12 : 8) + 4 * n);
        b.putInt(command);
        if (statusWord) {
            b.putInt(0); // python-luxtronik's fake controller sends 0 here
        }
        b.putInt(n);
        for (int v : table) {
            b.putInt(v);
        }
        for (int i = 0; i < extra; i++) {
            b.putInt(1000 + i);
        }
        return b.array();
    }

    /** 3005: [cmd][N][N×int8]. */
    private static byte[] byteTable(int command, byte[] table, int extra) {
        ByteBuffer b = ByteBuffer.allocate(8 + table.length + extra);
        b.putInt(command).putInt(table.length + extra).put(table);
        return b.array();
    }

    /** 3002: store and answer [3002][index]; a *.90 firmware answers nothing and reboots (fact sheet §7). */
    private boolean write(int index, int raw, OutputStream out) throws IOException {
        writes.computeIfAbsent(index, k -> new AtomicInteger()).incrementAndGet();
        String fw;
        synchronized (state) {
            fw = LuxtronikDecoder.characters(calculations, 81, 10);
        }
        if (LuxtronikDecoder.firmwareRebootsOnWrite(fw)) {
            LOG.info("luxtronik simulator {}: firmware {} reboots on write of parameter {}", port(), fw, index);
            rebootUntilNanos = System.nanoTime() + rebootMillis * 1_000_000L;
            return false;
        }
        synchronized (state) {
            if (index >= 0 && index < parameters.length) {
                parameters[index] = raw;
                if (index == 105) {
                    calculations[18] = raw; // the active DHW setpoint follows the target
                }
            }
        }
        out.write(ByteBuffer.allocate(8).putInt(LuxtronikClient.CMD_WRITE_PARAMETER).putInt(index).array());
        out.flush();
        return true;
    }

    // ---------------------------------------------------------------- model

    private void initialValues() {
        calculations[78] = 12; // LWC
        calculations[79] = 1;
        calculations[91] = (192 << 24) | (168 << 16) | (1 << 8) | 50;
        calculations[92] = 0xFFFFFF00;
        calculations[93] = (192 << 24) | (168 << 16) | (1 << 8) | 255;
        calculations[94] = (192 << 24) | (168 << 16) | (1 << 8) | 1;
        calculations[111] = 1_700_000_000; // one old switch-off: no request
        calculations[106] = 9;
        calculations[180] = 1850;
        calculations[181] = 650;
        calculations[18] = 480;
        calculations[16] = 60;
        calculations[57] = 4321;
        parameters[1] = 0;
        parameters[2] = 480;
        parameters[3] = 0;
        parameters[4] = 0;
        parameters[11] = 400;
        parameters[12] = 250;
        parameters[13] = 0;
        parameters[74] = 20;
        parameters[88] = 20;
        parameters[105] = 480;
        parameters[108] = 0;
        parameters[110] = 200;
        parameters[700] = 160;
        parameters[1059] = 1234;
        for (int i = 0; i < VISIBILITIES; i++) {
            visibilities[i] = 1;
        }
        visibilities[LuxtronikMap.VIS_POOL] = 0;
        visibilities[LuxtronikMap.VIS_VENTILATION] = 0;
        visibilities[LuxtronikMap.VIS_MK2] = 0;
    }

    /** Advances the model to now (wall clock). */
    private void advance() {
        long now = System.nanoTime();
        double dt = Math.min(3600, (now - lastAdvanceNanos) / 1e9);
        lastAdvanceNanos = now;
        if (weather != null) {
            realisticModel(dt);
        } else {
            demoModel(dt, (now - startNanos) / 1e9);
        }
    }

    /** The demo model at {@code t} seconds: an outdoor sine, a compressor cycling 5 min on / 3 min off, counters. */
    private void demoModel(double dt, double t) {
        int outdoor = (int) Math.round(50 + 60 * Math.sin(2 * Math.PI * t / 1800));
        boolean on = (t % 480) < 300;
        if (on && !compressorOn) {
            calculations[57]++;
        }
        compressorOn = on;
        double flowTarget = on ? 350 : 260;
        flowTenths += (flowTarget - flowTenths) * (1 - Math.exp(-dt / 60));
        int flow = (int) Math.round(flowTenths);
        calculations[10] = flow;
        calculations[11] = on ? flow - 50 : flow - 10;
        calculations[12] = 300 - outdoor / 2;
        calculations[15] = outdoor;
        calculations[17] = (int) Math.round(470 + 20 * Math.sin(2 * Math.PI * t / 3600));
        calculations[19] = outdoor + 10;
        calculations[20] = outdoor - 20;
        calculations[39] = on ? 1 : 0;
        calculations[44] = on ? 1 : 0;
        calculations[80] = on ? 0 : 5;
        calculations[117] = on ? 0 : 1;
        calculations[119] = on ? 0 : 1;
        calculations[134] = (int) (System.currentTimeMillis() / 1000);
        calculations[155] = on ? 1200 : 0;
        calculations[231] = on ? 55 : 0;
        calculations[257] = on ? 6000 : 0;
        calculations[268] = on ? 1500 : 0;
        if (on) {
            int secs = (int) Math.round(dt);
            calculations[56] += secs;
            calculations[63] += secs;
            calculations[64] += secs;
            heatingEnergyTenthKwh += 6.0 * dt / 3600 * 10;
        }
        publishEnergy();
    }

    // ---------------------------------------------------------------- labelled faults and the realistic model

    /** Switches to the realistic model: a 24 h day with outdoor temperatures wandering ±3 K day to day (seeded). */
    public void weather(long seed) {
        synchronized (state) {
            weather = new SimulatedWeather(seed);
            if (simSeconds == 0) {
                simSeconds = 6 * 3600; // a realistic day starts at 06:00
            }
            realisticModel(0);
        }
    }

    /** Advances the model by {@code seconds} of simulated time (whatever the wall clock does). */
    public void step(double seconds) {
        synchronized (state) {
            if (weather != null) {
                realisticModel(seconds);
            } else {
                simSeconds += seconds;
                demoModel(seconds, simSeconds);
            }
        }
    }

    /** Simulated seconds since midnight of the first day ({@link #step} and the realistic model count them). */
    public double simulatedSeconds() {
        synchronized (state) {
            return simSeconds;
        }
    }

    /** The labelled faults; none before {@link #weather(long)}, as the demo model cannot show them. */
    @Override
    public Set<String> availableFaults() {
        synchronized (state) {
            return weather == null ? Set.of() : plantFaults.offeredIds();
        }
    }

    @Override
    public boolean injectFault(String fault) {
        synchronized (state) {
            return weather != null && plantFaults.start(fault, simSeconds);
        }
    }

    @Override
    public void clearFault(String fault) {
        synchronized (state) {
            plantFaults.stop(fault);
        }
    }

    private boolean faulty(LabelledFault f) {
        return plantFaults.active(f);
    }

    private static int tenths(double celsius) {
        return (int) Math.round(celsius * 10);
    }

    /**
     * The realistic model (an air/water unit, LWC): heating on the return temperature against the heating curve
     * (P11 end point at −20 °C, P12 parallel shift, P1 correction) with the hysteresis P88; hot water from P105 − P74
     * up to P105, with priority; defrost (C80 = 4) 5 of every 60 minutes of heating below 3 °C outdoor.
     */
    private void realisticModel(double dt) {
        simSeconds += dt;
        double out = weather.outdoor(simSeconds);
        outdoorAverage += (out - outdoorAverage) * Math.min(1.0, dt / (3 * 3600.0));
        double endPoint = parameters[11] / 10.0;
        double shift = parameters[12] / 10.0;
        double returnTarget = Math.max(15, Math.min(60,
                shift + (endPoint - shift) * (20 - outdoorAverage) / 40 + parameters[1] / 10.0));
        double heatingHysteresis = Math.max(0.5, parameters[88] / 10.0);
        double dhwTarget = parameters[105] / 10.0;
        double dhwHysteresis = Math.max(0.5, parameters[74] / 10.0);
        boolean heatingAllowed = parameters[3] != 4 && outdoorAverage < parameters[700] / 10.0;
        boolean waterAllowed = parameters[4] != 4;

        // demands with hysteresis; hot water has priority
        boolean waterDemand = waterAllowed && (tank < dhwTarget - dhwHysteresis
                || (running == Compressor.HOT_WATER && tank < dhwTarget));
        boolean heatDemand = heatingAllowed && (loopWater < returnTarget - heatingHysteresis
                || (running == Compressor.HEATING && loopWater < returnTarget + heatingHysteresis));
        Compressor wanted = waterDemand ? Compressor.HOT_WATER : heatDemand ? Compressor.HEATING : Compressor.OFF;
        boolean wasOn = running != Compressor.OFF;
        boolean on = shortCycling.runs(wanted != Compressor.OFF, wasOn, faulty(LabelledFault.SHORT_CYCLING),
                simSeconds);
        // the demand stays (the status shows it) while a tripped compressor stands still
        Compressor demand = wanted;
        running = on ? wanted : Compressor.OFF;
        boolean compressorRuns = running != Compressor.OFF;
        if (compressorRuns && !wasOn) {
            calculations[57]++;
        }
        boolean iced = faulty(LabelledFault.FAILED_DEFROST);
        boolean defrost = running == Compressor.HEATING && (out < 3 || iced)
                && (simSeconds % 3600) < (iced ? 900 : 300);
        double output = iced ? 0.6 : 1.0; // an iced evaporator takes little heat from the air

        // heat flows
        double heatKw = 0;
        double electricKw = 0;
        if (running == Compressor.HEATING) {
            double full = 4.0 + 0.12 * (20 - out);
            double cop = Math.max(2.2, Math.min(5.0, 3.6 + 0.07 * out - 0.04 * (returnTarget - 30)));
            electricKw = defrost ? 1.2 : full / cop;
            heatKw = defrost ? 0 : full * output;
        } else if (running == Compressor.HOT_WATER) {
            heatKw = 5.0;
            electricKw = heatKw / Math.max(2.0, Math.min(4.0, 2.9 + 0.04 * out - 0.03 * (tank - 45)));
        }
        if (defrost) {
            loopWater += (15 - loopWater) * Math.min(1, dt / 1200); // the defrost takes its heat from the water
        } else if (running == Compressor.HEATING) {
            loopWater += (returnTarget + 4 - loopWater) * Math.min(1, output * dt / 900);
        } else {
            loopWater += (20 - loopWater) * Math.min(1, dt / 1800); // the radiators give off what the water holds
        }
        double clock = (simSeconds % 86400) / 3600.0;
        boolean tapping = (clock >= 7 && clock < 7.5) || (clock >= 19 && clock < 19.5);
        double gain = running == Compressor.HOT_WATER ? 0.003 : 0; // about 11 K/h
        if (faulty(LabelledFault.HOT_WATER_NOT_REACHED) && tank >= 42) {
            gain = 0; // the charge cannot lift the tank above 42 °C: it cools to there and stays
        }
        tank = Math.max(10, Math.min(70, tank + (gain - 0.0002 - (tapping ? 0.004 : 0)) * dt));

        // what the sensors show: TVL/TRL sit in the heat pump, so during a hot water charge they show that circuit
        double returnLine = running == Compressor.HOT_WATER ? tank + 2 : loopWater;
        double spread;
        if (!compressorRuns) {
            spread = 0.5;
        } else if (defrost) {
            spread = -2; // the reversed cycle cools the water
        } else {
            spread = 5 * (running == Compressor.HEATING ? output : 1);
        }
        boolean lowFlow = faulty(LabelledFault.LOW_FLOW) && compressorRuns;
        if (lowFlow) {
            spread *= 3;
        }
        double flow = returnLine + spread;
        double driftSince = plantFaults.since(LabelledFault.SENSOR_DRIFT);
        double drift = Double.isNaN(driftSince) ? 0 : (simSeconds - driftSince) / 3600.0;

        calculations[10] = tenths(flow + drift);
        calculations[11] = faulty(LabelledFault.STUCK_SENSOR) ? stuckReturn : tenths(returnLine);
        calculations[12] = tenths(returnTarget);
        calculations[14] = tenths(compressorRuns ? flow + 30 : flow + 3);
        calculations[15] = tenths(out);
        calculations[16] = tenths(outdoorAverage);
        calculations[17] = tenths(tank);
        calculations[18] = parameters[105];
        calculations[19] = tenths(out); // air entering the evaporator
        calculations[20] = tenths(out - (compressorRuns && running == Compressor.HEATING ? (iced ? 12 : 5)
                : compressorRuns ? 5 : 0));
        calculations[37] = defrost ? 1 : 0;
        calculations[38] = running == Compressor.HOT_WATER ? 1 : 0;
        calculations[39] = running == Compressor.HEATING || demand == Compressor.HEATING ? 1 : 0;
        calculations[44] = compressorRuns ? 1 : 0;
        calculations[80] = defrost ? 4 : switch (demand) {
            case HEATING -> 0;
            case HOT_WATER -> 1;
            case OFF -> 5;
        };
        calculations[117] = defrost ? 4 : compressorRuns ? 0 : 1;
        calculations[119] = defrost ? 7 : !compressorRuns && demand != Compressor.OFF ? 3 : switch (demand) {
            case HEATING -> 0;
            case HOT_WATER -> 5;
            case OFF -> 1;
        };
        calculations[134] = (int) (System.currentTimeMillis() / 1000);
        calculations[155] = compressorRuns ? (lowFlow ? 400 : 1200) : 0;
        calculations[231] = running == Compressor.HEATING ? (int) Math.round(Math.max(30, Math.min(90,
                40 + 2 * (20 - out)))) : running == Compressor.HOT_WATER ? 70 : 0;
        calculations[257] = (int) Math.round(heatKw * 1000);
        calculations[268] = (int) Math.round(electricKw * 1000);
        if (compressorRuns) {
            int secs = (int) Math.round(dt);
            calculations[56] += secs;
            calculations[63] += secs;
            calculations[running == Compressor.HEATING ? 64 : 65] += secs;
            if (running == Compressor.HEATING) {
                heatingEnergyTenthKwh += heatKw * dt / 3600 * 10;
            } else {
                hotWaterEnergyTenthKwh += heatKw * dt / 3600 * 10;
            }
        }
        publishEnergy();
    }

    private void publishEnergy() {
        int bug = heatQuantityBug ? LuxtronikMap.HEAT_QUANTITY_BUG_OFFSET : 0;
        int heating = (int) heatingEnergyTenthKwh;
        int hotWater = (int) hotWaterEnergyTenthKwh;
        calculations[151] = heating + bug;
        calculations[152] = hotWater + bug;
        calculations[153] = bug;
        calculations[154] = heating + hotWater + bug;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }
}
