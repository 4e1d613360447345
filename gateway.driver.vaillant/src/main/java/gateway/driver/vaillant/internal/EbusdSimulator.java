package gateway.driver.vaillant.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.HeatpumpSimulator;
import gateway.driver.vaillant.internal.VaillantMessages.Device;
import gateway.driver.vaillant.internal.VaillantMessages.Encoding;
import gateway.driver.vaillant.internal.VaillantMessages.Point;
import gateway.driver.vaillant.internal.VaillantMessages.Source;

/**
 * An ebusd daemon with a Vaillant aroTHERM system behind it (HMU at eBUS address 08, VRC 720 at 15), on 127.0.0.1.
 * It speaks ebusd's TCP command protocol line for line (fact sheet §2): every reply is its lines, each ending in
 * {@code \n}, then an empty line; errors are {@code ERR: } plus ebusd's result text; {@code write} answers
 * {@code done}. Many clients at once, each on its own thread, as ebusd allows.
 *
 * <p>ebusd's cache is modelled: {@code read} without {@code -f} serves the last bus value when it is younger than
 * {@code -m} seconds (default 300), and only otherwise "asks the bus" (counted in {@link #busReads()}). A write goes
 * to the bus and does not refresh the read cache (ebusd keeps read and write messages apart), so only a forced read
 * sees it at once.
 *
 * <p>Like a real unit, not every message is answered: by default {@code FlowTemp} and {@code ConsumptionTotal}
 * answer {@code ERR: invalid position} (fact sheet §10); the device options {@code broken} and {@code missing}
 * (comma-separated message names) add more ({@code ERR: element not found} for missing). Faults: no eBUS signal,
 * read timeouts (all or some messages), slow replies ({@link #latencyMillis}), silence (connection open, no reply).
 *
 * <p>The plant: the outdoor temperature follows a 30-minute sine; the compressor runs 5 minutes and rests 3, every
 * third run charging hot water; powers, flow, return, counters and yields follow from that.
 */
public final class EbusdSimulator implements HeatpumpSimulator.Running {

    private static final Logger LOG = LoggerFactory.getLogger(EbusdSimulator.class);

    /** ebusd's default for {@code read} without {@code -m} (mainloop.cpp). */
    static final int DEFAULT_MAX_AGE_SECONDS = 300;

    private final ServerSocket server;
    private final Thread acceptor;
    private final String heatpumpCircuit;
    private final String controllerCircuit;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final Object state = new Object();
    private final Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Set<String> broken = ConcurrentHashMap.newKeySet();
    private final Set<String> missing = ConcurrentHashMap.newKeySet();
    private final Set<String> nullValued = ConcurrentHashMap.newKeySet();
    private final Set<String> readTimeouts = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong busReads = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<String> commandLog = new CopyOnWriteArrayList<>();

    private volatile int latencyMillis;
    private volatile boolean noSignal;
    private volatile boolean allReadTimeouts;
    private volatile boolean silent;
    private volatile boolean frozen;
    private volatile boolean closed;

    // ---- plant and controller state (guarded by state)
    private final long startNanos = System.nanoTime();
    private double seconds;
    private double outdoor = 5;
    private boolean compressorOn;
    private boolean hotWaterRun;
    private int runs;
    private double flow = 30;
    private double tank = 48;
    private double room = 20.5;
    private double consumedKw;
    private double yieldKw;
    private double modulation;
    private long starts = 4321;
    private double hours = 5678;
    private double yieldHcKwh = 9876;
    private double yieldHwcKwh = 2345;
    private double yieldHcDay = 12.3;
    private double yieldHwcDay = 3.4;
    private double hwcTarget = 50;
    private int hwcOpMode = 1;
    private int hwcSfMode;
    private double dayTemp = 21;
    private double nightTemp = 18;
    private double quickVeto = 21.5;
    private int zoneOpMode = 1;

    private record Cached(String text, long atNanos) {
    }

    private EbusdSimulator(ServerSocket server, String heatpumpCircuit, String controllerCircuit) {
        this.server = server;
        this.heatpumpCircuit = heatpumpCircuit;
        this.controllerCircuit = controllerCircuit;
        broken.add("flowtemp");
        broken.add("consumptiontotal");
        advance();
        acceptor = new Thread(this::acceptLoop, "ebusd-sim-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a simulated ebusd on 127.0.0.1:{@code port} (0 = any free port) with the given circuit names. */
    public static EbusdSimulator start(int port, String heatpumpCircuit, String controllerCircuit) throws IOException {
        ServerSocket s = new ServerSocket(port, 16, InetAddress.getLoopbackAddress());
        return new EbusdSimulator(s, heatpumpCircuit, controllerCircuit);
    }

    public static EbusdSimulator start(int port) throws IOException {
        return start(port, VaillantDriver.DEFAULT_HEATPUMP_CIRCUIT, VaillantDriver.DEFAULT_CONTROLLER_CIRCUIT);
    }

    // ---------------------------------------------------------------- faults and test hooks

    /** The adapter loses the bus: every bus transaction answers {@code ERR: no signal}. */
    public void noSignal(boolean on) {
        noSignal = on;
    }

    /** Every bus read answers {@code ERR: read timeout} (the slave does not answer). */
    public void readTimeouts(boolean on) {
        allReadTimeouts = on;
    }

    /** This message's bus reads answer {@code ERR: read timeout}. */
    public void readTimeout(String message, boolean on) {
        toggle(readTimeouts, message, on);
    }

    /** This message answers {@code ERR: invalid position} (a definition that does not fit the unit's firmware). */
    public void broken(String message, boolean on) {
        toggle(broken, message, on);
    }

    /** This message is not defined for the unit: {@code ERR: element not found}. */
    public void missing(String message, boolean on) {
        toggle(missing, message, on);
    }

    /** This message holds its replacement value, printed as {@code -}. */
    public void nullValue(String message, boolean on) {
        toggle(nullValued, message, on);
    }

    /** Connections stay open, but no command is answered. */
    public void silent(boolean on) {
        silent = on;
    }

    /** Stops (true) or resumes the plant, so a poll can be compared with {@link #value}. */
    public void freeze(boolean on) {
        frozen = on;
    }

    /** Bus transactions so far (reads not served from the cache, and writes). */
    public long busReads() {
        return busReads.get();
    }

    /** The most commands ever being answered at the same time, over all connections. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Every command line received, in order. */
    public List<String> commands() {
        return List.copyOf(commandLog);
    }

    public int clientCount() {
        return clients.size();
    }

    private static void toggle(Set<String> set, String message, boolean on) {
        if (on) {
            set.add(message.toLowerCase(Locale.ROOT));
        } else {
            set.remove(message.toLowerCase(Locale.ROOT));
        }
    }

    // ---------------------------------------------------------------- HeatpumpSimulator.Running

    @Override
    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void latencyMillis(int millis) {
        latencyMillis = Math.max(0, millis);
    }

    @Override
    public void disconnectClients() {
        for (Socket s : clients) {
            closeQuietly(s);
        }
        clients.clear();
    }

    /** The value the simulated system holds for a sensor, in the sensor's units (what a good poll shows). */
    @Override
    public Double value(String sensorId) {
        if (VaillantMessages.HEAT_OUTPUT.equals(sensorId)) {
            Double e = value(VaillantMessages.ELECTRICAL_POWER);
            Double y = value(VaillantMessages.YIELD_POWER);
            return e == null || y == null ? null : e + y;
        }
        Point p = VaillantMessages.point(sensorId).orElse(null);
        if (p == null) {
            return null;
        }
        for (Source s : p.sources()) {
            String key = s.message().toLowerCase(Locale.ROOT);
            if (broken.contains(key) || missing.contains(key) || nullValued.contains(key)) {
                continue;
            }
            String text;
            synchronized (state) {
                text = print(s.message(), s.field());
            }
            if (text == null) {
                continue;
            }
            if (p.encoding() == Encoding.ENUM) {
                Integer v = EbusdProtocol.parseEnum(text, p.sensor().enumValues());
                return v == null ? null : v.doubleValue();
            }
            Double n = EbusdProtocol.parseNumber(text);
            return n == null ? null : n * s.factor();
        }
        return null;
    }

    @Override
    public int writeCount(String sensorId) {
        return VaillantMessages.point(sensorId).filter(p -> !p.derived())
                .map(p -> writes.getOrDefault(p.sources().get(0).message().toLowerCase(Locale.ROOT),
                        new AtomicInteger()).get())
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
        disconnectClients();
        acceptor.interrupt();
    }

    // ---------------------------------------------------------------- network

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("ebusd simulator {}: accept failed: {}", port(), e.getMessage());
                }
                return;
            }
            clients.add(s);
            Thread t = new Thread(() -> serve(s), "ebusd-sim-client-" + port());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            String line;
            while (!closed && (line = in.readLine()) != null) {
                String command = line.strip();
                if (command.isEmpty()) {
                    continue;
                }
                requests.incrementAndGet();
                commandLog.add(command);
                if (command.equalsIgnoreCase("quit")) {
                    return;
                }
                if (silent) {
                    continue;
                }
                List<String> reply;
                int now = inFlight.incrementAndGet();
                maxInFlight.accumulateAndGet(now, Math::max);
                try {
                    reply = answer(command);
                    int delay = latencyMillis;
                    if (delay > 0) {
                        Thread.sleep(delay);
                    }
                } finally {
                    // answered once the reply leaves: the client may send its next request the moment it arrives
                    inFlight.decrementAndGet();
                }
                StringBuilder b = new StringBuilder();
                for (String r : reply) {
                    b.append(r).append('\n');
                }
                b.append('\n'); // the empty line that ends every reply
                out.write(b.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // client gone or disconnectClients(): nothing to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(s);
        }
    }

    // ---------------------------------------------------------------- commands

    /** The reply lines (without the terminating empty line) to one command line. */
    List<String> answer(String command) {
        String[] words = command.trim().split("\\s+");
        return switch (words[0].toLowerCase(Locale.ROOT)) {
            case "read", "r" -> read(words);
            case "write", "w" -> write(words);
            case "info", "i" -> info();
            case "state" -> List.of(noSignal ? "no signal" : "signal acquired");
            default -> List.of("ERR: command not found");
        };
    }

    private List<String> read(String[] words) {
        boolean force = false;
        int maxAge = DEFAULT_MAX_AGE_SECONDS;
        String circuit = null;
        List<String> args = new ArrayList<>();
        for (int i = 1; i < words.length; i++) {
            String w = words[i];
            switch (w) {
                case "-f" -> force = true;
                case "-v", "-V", "-n", "-N" -> { }
                case "-m", "-c" -> {
                    if (i + 1 >= words.length) {
                        return readUsage();
                    }
                    String v = words[++i];
                    if (w.equals("-c")) {
                        circuit = v;
                    } else {
                        try {
                            maxAge = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            return List.of("ERR: invalid numeric argument");
                        }
                    }
                }
                default -> args.add(w);
            }
        }
        if (args.isEmpty() || args.size() > 2) {
            return readUsage();
        }
        String message = args.get(0);
        String field = args.size() > 1 ? args.get(1) : null;
        String key = message.toLowerCase(Locale.ROOT);
        Device device = deviceOf(message);
        if (device == null || missing.contains(key) || (circuit != null && !circuit.equals(circuitOf(device)))) {
            return List.of("ERR: element not found");
        }
        String cacheKey = key + (field == null ? "" : "." + field.toLowerCase(Locale.ROOT));
        Cached c = cache.get(cacheKey);
        if (!force && c != null && System.nanoTime() - c.atNanos() <= maxAge * 1_000_000_000L) {
            return List.of(c.text());
        }
        // a bus transaction
        if (noSignal) {
            return List.of("ERR: no signal");
        }
        busReads.incrementAndGet();
        if (allReadTimeouts || readTimeouts.contains(key)) {
            return List.of("ERR: read timeout");
        }
        if (broken.contains(key)) {
            return List.of("ERR: invalid position");
        }
        String text;
        synchronized (state) {
            advance();
            text = print(message, field);
        }
        if (text == null) {
            return List.of("ERR: element not found");
        }
        if (nullValued.contains(key)) {
            text = EbusdProtocol.NULL_VALUE;
        }
        cache.put(cacheKey, new Cached(text, System.nanoTime()));
        return List.of(text);
    }

    private static List<String> readUsage() {
        return List.of("usage: read [-f] [-m SECONDS] [-c CIRCUIT] [-d ZZ] [-s QQ] [-p PRIO] [-v|-V] [-n|-N] "
                + "[-i VALUE[;VALUE]*] NAME [FIELD[.N]]");
    }

    private List<String> write(String[] words) {
        if (words.length != 5 || !words[1].equals("-c")) {
            return List.of("usage: write [-s QQ] [-d ZZ] -c CIRCUIT NAME [VALUE[;VALUE]*]");
        }
        String circuit = words[2];
        String message = words[3];
        String value = words[4];
        String key = message.toLowerCase(Locale.ROOT);
        if (!circuit.equals(controllerCircuit) || deviceOf(message) != Device.CONTROLLER) {
            return List.of("ERR: element not found");
        }
        if (noSignal) {
            return List.of("ERR: no signal");
        }
        String result;
        synchronized (state) {
            result = apply(message, value);
        }
        if (result != null) {
            return List.of(result);
        }
        busReads.incrementAndGet();
        writes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        return List.of(EbusdProtocol.DONE);
    }

    private List<String> info() {
        List<String> lines = new ArrayList<>();
        lines.add("version: ebusd 26.1.26.1");
        lines.add("device: 127.0.0.1:9999, TCP, enhanced");
        lines.add("signal: " + (noSignal ? "no signal" : "acquired"));
        lines.add("symbol rate: 24");
        lines.add("max symbol rate: 96");
        lines.add("reconnects: 0");
        lines.add("masters: 3");
        lines.add("messages: " + VaillantMessages.points().size());
        lines.add("address 03: master #11");
        lines.add("address 08: slave #11, scanned \"MF=Vaillant;ID=HMU00;SW=0607;HW=5103\", loaded "
                + "\"vaillant/08.hmu.HW5103.csv\"");
        lines.add("address 10: master #2");
        lines.add("address 15: slave #2, scanned \"MF=Vaillant;ID=CTLV2;SW=0614;HW=1104\", loaded "
                + "\"vaillant/15.ctlv2.csv\"");
        lines.add("address 31: master #8, ebusd");
        lines.add("address 36: slave #8, ebusd");
        return lines;
    }

    private String circuitOf(Device device) {
        return device == Device.CONTROLLER ? controllerCircuit : heatpumpCircuit;
    }

    /** Which device defines a message name (case-insensitive, as ebusd looks names up), or null. */
    private static Device deviceOf(String message) {
        for (Point p : VaillantMessages.points()) {
            for (Source s : p.sources()) {
                if (s.message().equalsIgnoreCase(message)) {
                    return p.device();
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- the plant

    /** Moves the plant to the wall clock's now. Holds {@code state}. */
    private void advance() {
        double t = (System.nanoTime() - startNanos) / 1e9;
        double dt = Math.max(0, t - seconds);
        if (frozen) {
            seconds = t;
            return;
        }
        seconds = t;
        outdoor = 5 + 5 * Math.sin(2 * Math.PI * t / 1800);
        double cycle = t % 480;
        boolean on = cycle < 300;
        if (on && !compressorOn) {
            starts++;
            runs++;
            hotWaterRun = runs % 3 == 0;
        }
        compressorOn = on;
        if (on) {
            modulation = 45 + 20 * Math.sin(2 * Math.PI * t / 300);
            consumedKw = Math.round(10 * (0.8 + modulation / 100)) / 10.0;
            yieldKw = Math.round(10 * (consumedKw * (2.2 + 0.05 * outdoor))) / 10.0;
            hours += dt / 3600;
            double heatKwh = (consumedKw + yieldKw) * dt / 3600;
            if (hotWaterRun) {
                yieldHwcKwh += heatKwh;
                yieldHwcDay += heatKwh;
                tank = Math.min(hwcTarget + 2, tank + dt * 0.01);
            } else {
                yieldHcKwh += heatKwh;
                yieldHcDay += heatKwh;
            }
            flow += (targetFlow() + (hotWaterRun ? 15 : 0) - flow) * Math.min(1, dt / 120);
        } else {
            modulation = 0;
            consumedKw = 0;
            yieldKw = 0;
            flow += (26 - flow) * Math.min(1, dt / 600);
            tank = Math.max(35, tank - dt * 0.0005);
        }
        room = 20.5 + 0.4 * Math.sin(2 * Math.PI * t / 3600);
    }

    private double targetFlow() {
        return Math.max(25, Math.min(55, 35 - 0.8 * (outdoor - 5)));
    }

    private int hmuState() {
        if (!compressorOn) {
            return 0x01;
        }
        return hotWaterRun ? 0x81 : 0x09;
    }

    /** What ebusd prints for a message (already scaled by the definitions' dividers), or null if unknown. */
    private String print(String message, String field) {
        String m = message.toLowerCase(Locale.ROOT);
        return switch (m) {
            // controller VRC 720 (ctlv2)
            case "displayedoutsidetemp" -> dec(outdoor, 2);
            case "systemflowtemp" -> dec(flow - 0.3, 2);
            case "hc1flowtemp" -> dec(flow - 0.5, 2);
            case "hc1actualflowtempdesired" -> dec(targetFlow(), 2);
            case "hwcstoragetemp" -> dec(tank, 2);
            case "hwctempdesired" -> dec(hwcTarget, 2);
            case "hwcopmode" -> VaillantMessages.OPMODE.get(hwcOpMode);
            case "hwcsfmode" -> VaillantMessages.SFMODE.get(hwcSfMode);
            case "z1roomtemp" -> dec(room, 2);
            case "z1daytemp" -> dec(dayTemp, 2);
            case "z1nighttemp" -> dec(nightTemp, 2);
            case "z1quickvetotemp" -> dec(quickVeto, 2);
            case "z1opmode" -> VaillantMessages.OPMODE.get(zoneOpMode);
            case "z1actualroomtempdesired" -> dec(zoneOpMode == 0 ? 5 : dayTemp, 2);
            case "hc1heatcurve" -> dec(0.6, 2);
            case "hc1minflowtempdesired" -> dec(20, 2);
            case "hc1maxflowtempdesired" -> dec(55, 2);
            case "hc1status" -> compressorOn && !hotWaterRun ? "1" : "0";
            case "hc1pumpstatus" -> compressorOn && !hotWaterRun ? "1" : "0";
            case "yieldtotal" -> Long.toString(Math.round(yieldHcKwh + yieldHwcKwh) / 3);
            // heat-pump unit (hmu)
            case "state" -> field == null ? "0;" + (compressorOn ? "on" : "off") + ";" + hmuState()
                    : field.equalsIgnoreCase("state") ? Integer.toString(hmuState())
                    : field.equalsIgnoreCase("onoff") ? (compressorOn ? "on" : "off")
                    : field.equalsIgnoreCase("energy") ? "0" : null;
            case "flowtemp", "rundataflowtemp" -> dec(flow, 2);
            case "targetflowtemp" -> dec(targetFlow(), 2);
            case "rundatareturntemp" -> dec(flow - (compressorOn ? 5 : 1), 2);
            case "airintaketemp", "rundataairinlettemp" -> dec(outdoor + 0.4, 2);
            case "currentconsumedpower" -> dec(consumedKw, 1);
            case "rundataelectricpowerconsumption" -> dec(consumedKw * 1000, 0);
            case "currentyieldpower" -> dec(yieldKw, 1);
            case "currentcompressorutil" -> dec(Math.round(modulation), 0);
            case "rundatacompressorspeed" -> dec(compressorOn ? 20 + modulation * 0.6 : 0, 2);
            case "compressorstarts", "runstatscompressorstarts" -> Long.toString(starts);
            case "compressorhours", "runstatscompressorhours" -> Long.toString((long) hours);
            case "yieldhc" -> Long.toString((long) yieldHcKwh);
            case "yieldhwc" -> Long.toString((long) yieldHwcKwh);
            case "yieldhcday" -> dec(yieldHcDay, 1);
            case "yieldhwcday" -> dec(yieldHwcDay, 1);
            case "consumptiontotal" -> Long.toString((long) ((yieldHcKwh + yieldHwcKwh) / 4));
            case "cophc" -> "4.1";
            case "cophwc" -> "3.2";
            case "cophcmonth" -> "4.3";
            case "cophwcmonth" -> "3.1";
            case "rundatastatuscode" -> compressorOn ? (hotWaterRun ? "S.24" : "S.04") : "S.00";
            case "buildingcircuitflow" -> compressorOn ? "850" : "0";
            case "flowpressure" -> dec(1.75, 2);
            default -> null;
        };
    }

    /** Applies a write; null when done, else ebusd's error reply. Holds {@code state}. */
    private String apply(String message, String value) {
        String m = message.toLowerCase(Locale.ROOT);
        switch (m) {
            case "hwctempdesired" -> {
                Double v = number(value, 35, 70);
                if (v == null) {
                    return "ERR: argument value out of valid range";
                }
                hwcTarget = v;
            }
            case "z1daytemp", "z1nighttemp", "z1quickvetotemp" -> {
                Double v = number(value, 5, 30);
                if (v == null) {
                    return "ERR: argument value out of valid range";
                }
                if (m.equals("z1daytemp")) {
                    dayTemp = v;
                } else if (m.equals("z1nighttemp")) {
                    nightTemp = v;
                } else {
                    quickVeto = v;
                }
            }
            case "z1opmode", "hwcopmode" -> {
                Integer v = EbusdProtocol.parseEnum(value, VaillantMessages.OPMODE);
                if (v == null) {
                    return "ERR: invalid argument";
                }
                if (m.equals("z1opmode")) {
                    zoneOpMode = v;
                } else {
                    hwcOpMode = v;
                }
            }
            case "hwcsfmode" -> {
                Integer v = EbusdProtocol.parseEnum(value, VaillantMessages.SFMODE);
                if (v == null) {
                    return "ERR: invalid argument";
                }
                hwcSfMode = v;
            }
            default -> {
                return "ERR: element not found"; // read-only messages have no write definition
            }
        }
        return null;
    }

    private static Double number(String text, double min, double max) {
        Double v = EbusdProtocol.parseNumber(text);
        return v == null || v < min || v > max ? null : v;
    }

    private static String dec(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Hot-water target, for tests that check what reached the controller. */
    public double hotWaterTarget() {
        synchronized (state) {
            return hwcTarget;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
