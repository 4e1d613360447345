package gateway.core.modbus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.HeatpumpSimulator;
import gateway.core.api.SensorDefinition;
import gateway.core.simulation.ActiveFaults;
import gateway.core.simulation.LabelledFault;
import gateway.core.simulation.SimulatedWeather;

/**
 * The part every simulated Modbus controller shares: a register bank served over TCP, the sensor table it serves,
 * a model clock, the labelled faults and the realistic weather the anomaly-detection evaluation uses, and the
 * {@link HeatpumpSimulator.Running} controls the demo and the tests use. A driver's simulator fills the bank, then
 * calls {@link #serve(int, long)} (or stays offline: a caller that owns the clock calls {@link #step(double)}), and
 * implements {@link #step(double)} (advancing {@link #seconds}).
 */
public abstract class SimulatedModbusDevice implements HeatpumpSimulator.Running {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedModbusDevice.class);

    protected final RegisterBank bank = new RegisterBank();
    protected final ModbusSimulatorServer server = new ModbusSimulatorServer(bank);
    /** The sensors served, by id; filled by the subclass before {@link #serve}. */
    protected final Map<String, SensorDefinition> sensors = new LinkedHashMap<>();

    /** Simulated seconds since midnight of the first simulated day; {@link #step(double)} advances it. */
    protected double seconds;
    /** The realistic day after {@link #weather(long)}; null: the subclass's demo day. Guarded by this. */
    protected SimulatedWeather weather;
    /** Labelled faults and when each began; guarded by this. */
    private ActiveFaults faults = ActiveFaults.all(this::faultStarted);

    private final String name;
    private final WordOrder servedWordOrder;
    /** Guards the model thread and the close actions; not the model's lock, so closing never waits for a step. */
    private final Object lifecycle = new Object();
    private final List<Runnable> closeActions = new ArrayList<>();
    private ScheduledExecutorService ticker;
    private boolean closed;
    private int port;

    /**
     * @param name            prefix of the model thread's name, e.g. {@code nibe-sim-s1155}
     * @param servedWordOrder word order of the 32-bit values the device serves
     */
    protected SimulatedModbusDevice(String name, WordOrder servedWordOrder) {
        this.name = name;
        this.servedWordOrder = servedWordOrder;
    }

    /** Advances the simulated plant by {@code dt} seconds (and {@link #seconds} with it). */
    protected abstract void step(double dt);

    /** Narrows the labelled faults to what this plant's registers can show (call from the constructor). */
    protected final void offerFaults(Set<LabelledFault> offered) {
        faults = new ActiveFaults(offered, this::faultStarted);
    }

    /** Called when a fault starts, under the model's lock (a stuck sensor remembers its value). */
    protected void faultStarted(LabelledFault fault) {
    }

    protected final boolean faulty(LabelledFault fault) {
        return faults.active(fault);
    }

    /** Simulated time the fault began, NaN when it is not active (a drift grows with it). */
    protected final double faultSince(LabelledFault fault) {
        return faults.since(fault);
    }

    @Override
    public synchronized Set<String> availableFaults() {
        return faults.offeredIds();
    }

    @Override
    public synchronized boolean injectFault(String fault) {
        return faults.start(fault, seconds);
    }

    @Override
    public synchronized void clearFault(String fault) {
        faults.stop(fault);
    }

    /** Switches to the realistic 24 h day with outdoor temperatures wandering ±3 K from day to day (seeded). */
    public synchronized void weather(long seed) {
        weather = new SimulatedWeather(seed);
        if (seconds == 0) {
            seconds = 6 * 3600; // a realistic day starts at 06:00
        }
    }

    /** Simulated seconds since midnight of the first day. */
    public synchronized double simulatedSeconds() {
        return seconds;
    }

    /**
     * Starts serving on 127.0.0.1 and, when {@code tickMillis > 0}, advances the model at that period in real time (0
     * freezes the values; tests then call {@link #step(double)} themselves).
     */
    protected final void serve(int requestedPort, long tickMillis) throws IOException {
        serve(requestedPort, tickMillis, 1.0);
    }

    /**
     * Like {@link #serve(int, long)}, with {@code timeScale} simulated seconds passing per real second (a demo that
     * shows a heating day in minutes).
     */
    protected final void serve(int requestedPort, long tickMillis, double timeScale) throws IOException {
        if (timeScale <= 0) {
            throw new IllegalArgumentException("time scale must be positive: " + timeScale);
        }
        this.port = server.start(requestedPort);
        if (tickMillis > 0) {
            synchronized (lifecycle) {
                if (closed) {
                    return;
                }
                ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, name + "-" + port);
                    t.setDaemon(true);
                    return t;
                });
            }
            double dt = timeScale * tickMillis / 1000.0;
            ticker.scheduleAtFixedRate(() -> {
                try {
                    step(dt);
                } catch (RuntimeException e) {
                    LOG.warn("{} simulator on {}: step failed: {}", name, port, e.toString());
                }
            }, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        }
    }

    public SensorDefinition sensor(String id) {
        SensorDefinition s = sensors.get(id);
        if (s == null) {
            throw new IllegalArgumentException("no simulated sensor " + id + " on " + name);
        }
        return s;
    }

    /** Faults and limits of the underlying server (client limit, per-table function codes, block size). */
    public ModbusSimulatorServer server() {
        return server;
    }

    /** Serves an engineering value (tests plant known values with it). */
    public void set(String id, double value) {
        bank.setValue(sensor(id), value, servedWordOrder);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void latencyMillis(int millis) {
        server.latencyMillis(millis);
    }

    @Override
    public void disconnectClients() {
        server.disconnectClients();
    }

    @Override
    public Double value(String sensorId) {
        SensorDefinition s = sensors.get(sensorId);
        if (s == null) {
            return null;
        }
        double v = bank.getValue(s, servedWordOrder);
        return Double.isNaN(v) ? null : v;
    }

    @Override
    public int writeCount(String sensorId) {
        SensorDefinition s = sensors.get(sensorId);
        return s == null ? 0 : server.writeCount(s.address());
    }

    @Override
    public long requestCount() {
        return server.requestCount();
    }

    /** Runs {@code action} once when this device closes (a service forgets the devices it started). */
    public void onClose(Runnable action) {
        synchronized (lifecycle) {
            if (!closed) {
                closeActions.add(action);
                return;
            }
        }
        action.run();
    }

    /** Stops the model thread and the server; closing again does nothing. */
    @Override
    public void close() {
        ScheduledExecutorService t;
        List<Runnable> actions;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            t = ticker;
            ticker = null;
            actions = List.copyOf(closeActions);
            closeActions.clear();
        }
        if (t != null) {
            t.shutdownNow();
        }
        server.close();
        actions.forEach(Runnable::run);
    }
}
