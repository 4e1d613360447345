package gateway.driver.idm.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.modbus.AddressRange;
import gateway.core.modbus.SimulatedModbusDevice;
import gateway.core.simulation.LabelledFault;
import gateway.core.simulation.ShortCyclingTrip;
import gateway.core.simulation.SimulatedWeather;

/**
 * A simulated iDM Navigator 2.0 on 127.0.0.1: the whole register map (every circuit and zone module, so any device
 * configuration works) in the shared {@link SimulatedModbusDevice}'s register bank, and a small thermal model that
 * moves the values.
 *
 * <p>Address space like the controller's: inside a register area unused addresses read as 0 (read-only); outside every
 * area the server answers exception 02. Writes to read-only registers are rejected with exception 02 as well.
 * {@link #value(String)} gives what the registers hold, sentinels included (−1.0 for a sensor not fitted).
 *
 * <p>The model (an air-source heat pump with a heat buffer, a DHW tank and all seven circuits) advances
 * {@link #DEFAULT_TIME_SCALE} simulated seconds per real second in the demo, or only on {@link #step(double)} when the
 * caller owns the clock (tests and the evaluation harness: {@link #offline()}, or {@code tickMillis} 0). The heat
 * energy counters (1748, 1750, 1754, 4128) grow by the thermal power 1790 × real time, not simulated time, so that they
 * agree with the electrical power 4122 a gateway integrates over its real poll times. Registers a
 * client writes are read back by the model (setpoints, system mode, requests); BMS-sourced inputs a client has written
 * are no longer overwritten by the model.
 *
 * <p>Labelled faults ({@link LabelledFault}, all six) show as: stuck sensor — the return temperature B34 (1052) keeps
 * its value; drift — the flow temperature B33 (1050) reads 1 K higher per hour; low flow — flow−return spread 15 K
 * instead of 5 K while running; short cycling — the compressor trips after 4 minutes of heating and stays off 4
 * minutes; failed defrost — the coil stays iced: air heat exchanger B72 12 K instead of 5 K below outdoor air, less
 * heat; hot water not reached — the tank stops at 42 °C and the charge never ends.
 */
public final class IdmSimulator extends SimulatedModbusDevice {

    private static final Logger LOG = LoggerFactory.getLogger(IdmSimulator.class);
    private static final RegisterKind KIND = IdmRegisterMap.KIND;

    /** Simulated seconds per real second in the demo: a heating day passes in 24 minutes. */
    public static final double DEFAULT_TIME_SCALE = 60;
    public static final long DEFAULT_TICK_MILLIS = 1000;

    // model constants: a 300 l buffer, a 200 l DHW tank, a house needing ~4 kW at 5 °C outdoor
    private static final double BUFFER_KWH_PER_K = 0.35;
    private static final double TANK_KWH_PER_K = 0.23;
    private static final double HOUSE_KW_PER_K = 0.25;
    private static final double DHW_STANDING_LOSS_KW = 0.12;
    private static final double DHW_TAP_KW = 2.0;

    private final Map<Integer, SensorDefinition> byAddress = new HashMap<>();
    /** BMS-sourced (RW/RO) registers a client has written: the model leaves them alone. */
    private final Set<Integer> clientOwned = ConcurrentHashMap.newKeySet();

    // model state
    private double outdoorAvg;
    private double buffer = 33;
    private double tankTop = 48;
    private double hpFlow = 30;
    private final double[] circuitFlow = new double[7];
    private final double[] circuitRoom = new double[7];
    private final double[][] zoneRoom = new double[IdmRegisterMap.ZONE_MODULES][IdmRegisterMap.ROOMS_PER_ZONE];
    private enum Compressor { OFF, HEATING, HOT_WATER }
    private Compressor compressor = Compressor.OFF;
    private volatile boolean oneOffCharge;
    private double energyHeating = 1520.0;
    private double energyWater = 610.0;
    /**
     * Simulated seconds per real second of the model thread (1 when the caller owns the clock). The heat counters
     * advance by the published thermal power × <em>real</em> time: a gateway integrates electrical power 4122 over the
     * real times of its polls (the Navigator has no electrical energy counter), so counters running on the
     * accelerated clock made the demo's COP today and this month {@code timeScale} times too high (≈ 200).
     */
    private volatile double timeScale = 1;

    /** What the return sensor showed when a stuck_sensor fault began. */
    private double stuckReturn = Double.NaN;
    private final ShortCyclingTrip shortCycling = ShortCyclingTrip.timedWhileFaulty();

    private IdmSimulator() {
        super("idm-sim-" + IdmDriver.MODEL_ID, IdmRegisterMap.WORD_ORDER);
        seconds = 6 * 3600; // the model starts at 06:00
        defineAddressSpace();
        initialValues();
        bank.onWrite(this::clientWrote);
        step(0);
    }

    /**
     * Starts a simulator on 127.0.0.1 at {@code port} (0 = any free port).
     *
     * @param tickMillis model step period; 0 freezes the values (the caller then calls {@link #step(double)})
     * @param timeScale  simulated seconds per real second while the model thread runs
     */
    public static IdmSimulator start(int port, long tickMillis, double timeScale) throws IOException {
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("time scale must be positive: " + timeScale);
        }
        IdmSimulator sim = new IdmSimulator();
        sim.timeScale = timeScale;
        try {
            sim.serve(port, tickMillis, timeScale);
        } catch (IOException | RuntimeException e) {
            sim.close();
            throw e;
        }
        return sim;
    }

    /** The demo's simulator: the model thread runs at {@link #DEFAULT_TIME_SCALE}. */
    public static IdmSimulator start(int port) throws IOException {
        return start(port, DEFAULT_TICK_MILLIS, DEFAULT_TIME_SCALE);
    }

    /** A simulator without socket or model thread: the model moves only on {@link #step(double)}. */
    public static IdmSimulator offline() {
        return new IdmSimulator();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Address space and initial values

    private void defineAddressSpace() {
        for (SensorDefinition s : IdmRegisterMap.all()) {
            bank.define(s);
            // without sentinels, so value() and the model see what the registers hold (e.g. −1.0 for "not fitted")
            SensorDefinition plain = s.toBuilder().clearInvalid().build();
            sensors.put(s.id(), plain);
            byAddress.put(s.address(), plain);
        }
        // holes inside an area read as 0 and refuse writes; everything else stays undefined (exception 02)
        for (AddressRange area : IdmRegisterMap.knownAreas()) {
            for (int a = area.start(); a < area.end(); a++) {
                if (!bank.defined(KIND, a)) {
                    bank.define(KIND, a, 1, false);
                }
            }
        }
    }

    private void initialValues() {
        // not fitted on this simulated air-source unit without solar, cascade, ISC, battery
        for (int a : new int[] {1010, 1048, 1056, 1058, 1064, 1066, 1200, 1202, 1204, 1206, 1208, 1210, 1758, 1760,
                1792, 1850, 1852, 1854, 1857, 1870, 1872}) {
            set(a, -1.0);
        }
        set(86, -1);    // battery SoC: no battery
        set(1105, -1);  // brine pump off (WORD −1 = off)
        set(1106, -1);  // ground-water pump off
        set(1108, -1);  // ISC pumps not fitted
        set(1109, -1);
        // energy-manager inputs are fed by an energy manager; 0 until one writes them
        set(1005, 1);   // automatic
        set(1006, 1);   // grid draw, no cheap power
        set(1098, 1);   // not locked
        set(1032, 46);
        set(1033, 46);
        set(1034, 50);
        set(1120, -5);
        set(1121, -10);
        set(1122, -15);
        set(1123, -20);
        set(1392, 45.0);
        set(1221, 100);
        set(1223, 100);
        set(1225, 100);
        set(1694, 40);
        set(1695, 18);
        set(1698, 100.0);
        for (int a : new int[] {1716, 1718, 1720, 1722}) {
            set(a, -1.0); // "not used" default
        }
        set(1752, 0.0);
        set(1756, 84.0);
        set(1762, 0.0);
        for (int i = 0; i < 7; i++) {
            set(1393 + i, 1);              // timed program
            set(1401 + 2 * i, 21.0 - 0.5 * (i % 2));
            set(1415 + 2 * i, 19.0);
            set(1429 + 2 * i, 0.5 + 0.1 * i);
            set(1442 + i, 18);
            set(1449 + i, 35);
            set(1457 + 2 * i, 24.0);
            set(1471 + 2 * i, 26.0);
            set(1484 + i, 26);
            set(1491 + i, 18);
            set(1505 + i, 0);
            circuitRoom[i] = 20.5;
            circuitFlow[i] = 28;
        }
        // The table's overlaps (1392/1393, 1441/1442, 1483/1484) share registers: circuit A's UCHARs win, as on a
        // controller where circuit A is configured, and the overlapping FLOATs read whatever that makes of them.
        set(1393, 1);
        set(1442, 18);
        set(1484, 26);
        for (int z = 0; z < IdmRegisterMap.ZONE_MODULES; z++) {
            int base = IdmRegisterMap.zoneBase(z);
            set(base, 1); // heating
            set(base + 1, 0);
            for (int r = 0; r < IdmRegisterMap.ROOMS_PER_ZONE; r++) {
                int a = base + 2 + 7 * r;
                double setpoint = 20.0 + (r % 3) * 0.5;
                set(a + 2, setpoint);
                set(a + 4, 40 + r);
                set(a + 5, 3); // normal, so a BMS may set the setpoint
                zoneRoom[z][r] = setpoint - 0.4 + 0.1 * r;
            }
            set(base + 64, 0);
        }
        outdoorAvg = SimulatedWeather.daily(seconds);
    }

    private void clientWrote(RegisterKind kind, int address, int[] values) {
        for (int a = address; a < address + values.length; a++) {
            SensorDefinition s = byAddress.get(a);
            if (s != null && IdmRegisterMap.bmsSourced(s)) {
                clientOwned.add(a);
            }
        }
        if (address == 1713 && values.length > 0 && values[0] != 0) {
            oneOffCharge = true; // no lock here: the bank may call us while holding its own lock
        }
        if (address == 1999 && values.length > 0 && values[0] != 0) {
            bank.set(KIND, 1099, 0); // faults acknowledged
            bank.set(KIND, 1004, 0);
        }
        LOG.debug("idm simulator port {}: client wrote {} register(s) at {}", port(), values.length, address);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Labelled faults (anomaly detection evaluation; the base class keeps which are active, and the weather)

    @Override
    protected void faultStarted(LabelledFault fault) {
        if (fault == LabelledFault.STUCK_SENSOR) {
            stuckReturn = get(1052);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The thermal model

    /** Advances the model by {@code dt} simulated seconds and publishes every read-only value. */
    @Override
    public synchronized void step(double dt) {
        seconds += dt;
        double hours = dt / 3600.0;
        double out = weather == null ? SimulatedWeather.daily(seconds) : weather.outdoor(seconds);
        outdoorAvg += (out - outdoorAvg) * Math.min(1.0, dt / (3 * 3600.0));

        int sysMode = (int) get(1005);
        boolean standby = sysMode == 0 || sysMode == 0xFFFF;
        boolean heatingAllowed = !standby && sysMode != 4;
        boolean waterAllowed = !standby && sysMode != 5 && sysMode != 3;
        boolean fault = get(1099) == 1;

        // heating circuits
        double requiredFlow = 0;
        boolean heatDemand = false;
        for (int i = 0; i < 7; i++) {
            int mode = (int) get(1393 + i);
            boolean eco = mode == 3 || sysMode == 2 || sysMode == 3;
            double roomSet = eco ? get(1415 + 2 * i) : get(1401 + 2 * i);
            double target;
            if (mode == 4) {
                target = get(1449 + i); // manual heating: constant flow setpoint
            } else {
                target = roomSet + get(1505 + i) + get(1429 + 2 * i) * Math.max(0, roomSet - out);
            }
            boolean active = heatingAllowed && mode != 0 && mode != 5 && (mode == 4 || outdoorAvg < get(1442 + i));
            set(1378 + 2 * i, active ? target : 0.0);
            set(1498 + i, active ? 1 : 0);
            double flowGoal = active ? Math.min(target, buffer) : circuitRoom[i];
            circuitFlow[i] += (flowGoal - circuitFlow[i]) * Math.min(1.0, dt / 600.0);
            double roomGoal = active ? roomSet : Math.max(out + 8, 14);
            circuitRoom[i] += (roomGoal - circuitRoom[i]) * Math.min(1.0, dt / 7200.0);
            set(1350 + 2 * i, circuitFlow[i]);
            set(1364 + 2 * i, circuitRoom[i] + 0.15 * Math.sin(seconds / 2400.0 + i));
            if (active) {
                heatDemand = true;
                requiredFlow = Math.max(requiredFlow, target);
            }
        }
        double bufferTarget = requiredFlow + 2;

        // hot water: charge between the on temperature and the setpoint (or the off temperature, if higher)
        double stopTemp = Math.max(get(1032), get(1034));
        double onTemp = Math.min(get(1033), stopTemp - 2);
        boolean forced = get(1712) == 1 || oneOffCharge;
        boolean waterDemand = waterAllowed && (tankTop < onTemp || forced
                || (compressor == Compressor.HOT_WATER && tankTop < stopTemp));

        // compressor with hysteresis; DHW has priority
        Compressor next;
        if (fault || standby) {
            next = Compressor.OFF;
        } else if (waterDemand) {
            next = Compressor.HOT_WATER;
        } else if (heatDemand && (buffer < bufferTarget - 2 || (compressor == Compressor.HEATING && buffer < bufferTarget + 3))) {
            next = Compressor.HEATING;
        } else {
            next = Compressor.OFF;
        }
        if (compressor == Compressor.HOT_WATER && next != Compressor.HOT_WATER) {
            oneOffCharge = false; // the one-off charge is done
        }
        if (next == Compressor.HEATING && !shortCycling.runs(true, compressor == Compressor.HEATING,
                faulty(LabelledFault.SHORT_CYCLING), seconds)) {
            next = Compressor.OFF; // only heating runs trip
        }
        compressor = next;

        boolean iced = faulty(LabelledFault.FAILED_DEFROST) && compressor == Compressor.HEATING;
        boolean defrost = compressor == Compressor.HEATING && (out < 3 || iced)
                && (seconds % 3600) < (iced ? 900 : 300);
        double thermal = 0;
        double electrical = 0;
        if (compressor == Compressor.HEATING) {
            thermal = defrost ? 0 : Math.max(3.0, 4.0 + 0.12 * (20 - out));
            double cop = clamp(3.6 + 0.07 * out - 0.04 * (bufferTarget - 35), 2.2, 5.0);
            electrical = defrost ? 1.2 : thermal / cop;
            if (iced && !defrost) {
                thermal *= 0.6; // the iced coil takes little heat from the air; the compressor works as hard
            }
        } else if (compressor == Compressor.HOT_WATER) {
            thermal = 5.0;
            electrical = thermal / clamp(2.9 + 0.04 * out - 0.03 * (tankTop - 45), 2.0, 4.0);
        }

        // heat flows
        double houseLoad = heatDemand ? HOUSE_KW_PER_K * Math.max(0, 20 - out) : 0.2 * Math.max(0, buffer - 25);
        double bufferIn = compressor == Compressor.HEATING ? thermal : 0;
        buffer += (bufferIn - houseLoad) * hours / BUFFER_KWH_PER_K;
        buffer = clamp(buffer, 15, 60);
        double clock = (seconds % 86400) / 3600.0;
        boolean tapping = (clock >= 7 && clock < 7.5) || (clock >= 19 && clock < 19.5);
        double tankIn = compressor == Compressor.HOT_WATER ? thermal : 0;
        if (faulty(LabelledFault.HOT_WATER_NOT_REACHED) && tankTop >= 42) {
            tankIn = Math.min(tankIn, DHW_STANDING_LOSS_KW);
        }
        tankTop += (tankIn - DHW_STANDING_LOSS_KW - (tapping ? DHW_TAP_KW : 0)) * hours / TANK_KWH_PER_K;
        tankTop = clamp(tankTop, 12, 62);
        double flowGoal = switch (compressor) {
            case HEATING -> buffer + 5;
            case HOT_WATER -> tankTop + 7;
            case OFF -> buffer;
        };
        hpFlow += (flowGoal - hpFlow) * Math.min(1.0, dt / 120.0);
        // counters: the power shown × real time, so they agree with 1790 and 4122 integrated by a client (kWh, kW)
        double realHours = hours / timeScale;
        if (compressor == Compressor.HEATING) {
            energyHeating += thermal * realHours;
        } else if (compressor == Compressor.HOT_WATER) {
            energyWater += thermal * realHours;
        }
        boolean running = compressor != Compressor.OFF;

        // publish
        set(1000, out);
        set(1002, outdoorAvg);
        set(1008, buffer);
        set(1012, tankTop - (compressor == Compressor.HOT_WATER ? 6 : 3));
        set(1014, tankTop);
        set(1030, tankTop - 2);
        double spread = running ? (faulty(LabelledFault.LOW_FLOW) ? 15 : 5) : 0.5;
        double drifting = faultSince(LabelledFault.SENSOR_DRIFT);
        set(1050, hpFlow + (Double.isNaN(drifting) ? 0 : (seconds - drifting) / 3600.0));
        set(1052, faulty(LabelledFault.STUCK_SENSOR) ? stuckReturn : hpFlow - spread);
        set(1054, running ? hpFlow + 18 : hpFlow);
        set(1060, out);
        set(1062, out - (running ? (iced ? 12 : 5) : 0));
        int bits = (compressor == Compressor.HEATING ? 1 : 0) | (compressor == Compressor.HOT_WATER ? 4 : 0)
                | (defrost ? 8 : 0);
        set(1090, bits);
        set(1091, heatDemand && buffer < bufferTarget ? 1 : 0);
        set(1092, 0);
        set(1093, waterDemand ? 1 : 0);
        set(1100, running ? 1 : 0);
        set(1104, running ? 70 : -1);
        set(1112, compressor == Compressor.HOT_WATER ? 1 : 0);
        set(1124, 0);
        set(1790, thermal);
        set(4122, electrical);
        set(4126, thermal);
        set(1748, energyHeating);
        set(1754, energyWater);
        set(1750, energyHeating + energyWater);
        set(4128, energyHeating + energyWater);

        // zone modules: rooms settle around their setpoints, relays open below
        for (int z = 0; z < IdmRegisterMap.ZONE_MODULES; z++) {
            int base = IdmRegisterMap.zoneBase(z);
            boolean anyRelay = false;
            for (int r = 0; r < IdmRegisterMap.ROOMS_PER_ZONE; r++) {
                int a = base + 2 + 7 * r;
                int mode = (int) get(a + 5);
                double setpoint = mode == 0 ? 12 : get(a + 2) - (mode == 2 ? 2 : 0) + (mode == 4 ? 1 : 0);
                boolean relay = get(a + 6) == 1;
                double t = zoneRoom[z][r];
                if (relay ? t > setpoint + 0.2 : t < setpoint - 0.2) {
                    relay = !relay;
                }
                t += (relay ? 1.0 : -0.6) * hours * (heatingAllowed ? 1 : 0.2);
                zoneRoom[z][r] = t;
                set(a, t);
                set(a + 6, relay ? 1 : 0);
                anyRelay |= relay;
            }
            set(base + 64, anyRelay ? 1 : 0);
        }
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private double get(int address) {
        return bank.getValue(byAddress.get(address), IdmRegisterMap.WORD_ORDER);
    }

    private void set(int address, double value) {
        if (clientOwned.contains(address)) {
            return;
        }
        bank.setValue(byAddress.get(address), value, IdmRegisterMap.WORD_ORDER);
    }
}
