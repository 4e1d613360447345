package gateway.core.modbus;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.HeatpumpSimulator;
import gateway.core.api.SensorDefinition;

/**
 * The part every simulated Modbus controller shares: a register bank served over TCP, the sensor table it serves,
 * a model clock, and the {@link HeatpumpSimulator.Running} controls the demo and the tests use. A driver's simulator
 * fills the bank, then calls {@link #serve(int, long)}, and implements {@link #step(double)}.
 */
public abstract class SimulatedModbusDevice implements HeatpumpSimulator.Running {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedModbusDevice.class);

    protected final RegisterBank bank = new RegisterBank();
    protected final ModbusSimulatorServer server = new ModbusSimulatorServer(bank);
    /** The sensors served, by id; filled by the subclass before {@link #serve}. */
    protected final Map<String, SensorDefinition> sensors = new LinkedHashMap<>();

    private final String name;
    private final WordOrder servedWordOrder;
    private ScheduledExecutorService ticker;
    private int port;

    /**
     * @param name            prefix of the model thread's name, e.g. {@code nibe-sim-s1155}
     * @param servedWordOrder word order of the 32-bit values the device serves
     */
    protected SimulatedModbusDevice(String name, WordOrder servedWordOrder) {
        this.name = name;
        this.servedWordOrder = servedWordOrder;
    }

    /** Advances the simulated plant by {@code seconds}. */
    protected abstract void step(double seconds);

    /**
     * Starts serving on 127.0.0.1 and, when {@code tickMillis > 0}, advances the model at that period (0 freezes the
     * values; tests then call {@link #step(double)} themselves).
     */
    protected final void serve(int requestedPort, long tickMillis) throws IOException {
        this.port = server.start(requestedPort);
        if (tickMillis > 0) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, name + "-" + port);
                t.setDaemon(true);
                return t;
            });
            double dt = tickMillis / 1000.0;
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

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        server.close();
    }
}
