package gateway.driver.stiebel.internal;

import java.io.IOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.modbus.SimulatedModbusDevice;
import gateway.core.modbus.WordOrder;
import gateway.core.simulation.LabelledFault;

/**
 * A simulated ISG in front of one Stiebel controller, on a loopback port. It serves the blocks that controller has
 * (fact sheet §7) and answers exception 02 for the others; inside a served block, registers the controller does not
 * fill, and the gaps between rows, read 0x8000. FC04 for values, FC03/FC06 for parameters; FC16 and coils are
 * refused (exception 01). Input 5002 reports the controller id.
 *
 * <p>Like the real ISG, a written SG Ready input falls back to 0 after {@value #SG_READY_FALLBACK_SECONDS} s
 * (pail23#539: 30–60 s), so only a rewriting client keeps it. The SG Ready state follows the switch and the inputs:
 * off → 2 normal; inputs (1,0) → 3 forced (pail23#539), (1,1) → 4 maximum, (0,1) → 1 blocked (our reading).
 *
 * <p>A small thermal model moves the values: the outdoor temperature runs through an hour-long "day", the flow
 * follows a heating curve, the hot-water tank cools and is recharged, and the energy totals grow in whole kWh split
 * into kWh (0…999) and MWh registers.
 */
public final class StiebelSimulator extends SimulatedModbusDevice {

    static final double SG_READY_FALLBACK_SECONDS = 45;
    /** Simulator option (DeviceConfig): a shorter fall-back, so a test of the rewrites need not wait 45 s. */
    public static final String OPTION_SG_READY_FALLBACK_SECONDS = "sim.sg_ready_fallback_seconds";
    private static final WordOrder ORDER = WordOrder.HIGH_WORD_FIRST;

    private final StiebelController controller;
    private final StiebelModel model;
    private final Map<String, StiebelRegister> composites = new LinkedHashMap<>();
    private final Map<String, StiebelRegister> rowsById = new HashMap<>();
    private final Map<Integer, Double> sgWrittenAt = new HashMap<>();
    private volatile double sgReadyFallbackSeconds = SG_READY_FALLBACK_SECONDS;

    private boolean compressorOn;
    private boolean chargingHotWater;
    private double heatHeating = 12_345.4;
    private double heatHotWater = 3_210.2;
    private double electricHeating = 3_087.6;
    private double electricHotWater = 1_070.9;
    private double heatToday;
    private double electricToday;
    private long compressorStarts = 4_321;

    private StiebelSimulator(StiebelController controller) {
        super("stiebel-sim-" + controller.model().id(), ORDER);
        this.controller = controller;
        this.model = controller.model();
        offerFaults(EnumSet.noneOf(LabelledFault.class));
        Map<StiebelBlock, int[]> spans = new LinkedHashMap<>();
        List<StiebelRegister> rows = StiebelRegisterMap.rows(model);
        for (StiebelRegister row : rows) {
            if (!row.block().servedBy().contains(controller)) {
                continue;
            }
            for (SensorDefinition s : row.wire()) {
                int[] span = spans.computeIfAbsent(row.block(), b -> new int[] {s.address(), s.address()});
                span[0] = Math.min(span[0], s.address());
                span[1] = Math.max(span[1], s.address());
            }
        }
        // every register of a served block exists; what the controller does not fill reads "not available"
        spans.forEach((block, span) -> {
            bank.define(block.kind(), span[0], span[1] - span[0] + 1, false);
            for (int a = span[0]; a <= span[1]; a++) {
                bank.set(block.kind(), a, StiebelRegisterMap.NOT_AVAILABLE);
            }
        });
        for (StiebelRegister row : rows) {
            if (!spans.containsKey(row.block())) {
                continue;
            }
            rowsById.put(row.id(), row);
            if (row.composite()) {
                composites.put(row.id(), row);
            } else {
                sensors.put(row.id(), row.sensor());
            }
            for (SensorDefinition s : row.wire()) {
                bank.define(s);
                if (row.servedBy(controller) && !row.composite()) {
                    bank.setValue(s, 0, ORDER);
                }
            }
        }
        bank.onWrite(this::written);
        server.allowFunctions(RegisterKind.INPUT, 4);
        server.allowFunctions(RegisterKind.HOLDING, 3, 6);
        server.allowFunctions(RegisterKind.COIL);
        server.allowFunctions(RegisterKind.DISCRETE_INPUT);
        initialValues();
    }

    /** The controller a simulator service simulates for a model. */
    static StiebelController defaultController(StiebelModel model) {
        return model == StiebelModel.WPM ? StiebelController.WPM_3I : StiebelController.LWZ_X04;
    }

    /**
     * Starts a simulated ISG on 127.0.0.1.
     *
     * @param tickMillis model step period; 0 freezes the values (tests call {@link #step(double)} themselves)
     */
    public static StiebelSimulator start(StiebelController controller, int port, long tickMillis) throws IOException {
        StiebelSimulator sim = new StiebelSimulator(controller);
        sim.serve(port, tickMillis);
        return sim;
    }

    /** How long a written SG Ready input holds (simulated seconds; the real ISG: 30–60 s). */
    public void sgReadyFallbackSeconds(double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("fall-back must be positive: " + seconds);
        }
        this.sgReadyFallbackSeconds = seconds;
    }

    public StiebelController controller() {
        return controller;
    }

    /** Plants a raw register value by manual number (0x8000 = not available). */
    public void setRaw(RegisterKind kind, int manualNumber, int raw) {
        bank.set(kind, StiebelRegisterMap.wire(manualNumber), raw);
    }

    public int raw(RegisterKind kind, int manualNumber) {
        return bank.get(kind, StiebelRegisterMap.wire(manualNumber));
    }

    /** Split values are summed like the driver does; others as the base class serves them. */
    @Override
    public Double value(String sensorId) {
        StiebelRegister row = composites.get(sensorId);
        if (row == null) {
            return super.value(sensorId);
        }
        double sum = 0;
        for (StiebelRegister.Term t : row.terms()) {
            int raw = bank.get(t.raw().registerKind(), t.raw().address());
            if (raw == StiebelRegisterMap.NOT_AVAILABLE) {
                return null;
            }
            sum += raw * (double) t.multiplier();
        }
        return sum;
    }

    private void written(RegisterKind kind, int address, int[] values) {
        if (kind != RegisterKind.HOLDING) {
            return;
        }
        synchronized (this) {
            if (address == StiebelRegisterMap.wire(4002) || address == StiebelRegisterMap.wire(4003)) {
                sgWrittenAt.put(address, seconds);
            }
            updateSgReadyState();
        }
    }

    private void initialValues() {
        if (model == StiebelModel.WPM) {
            put("operating_mode", 2);
            put("comfort_temp_circuit_1", 21);
            put("eco_temp_circuit_1", 19);
            put("heating_curve_circuit_1", 0.6);
            put("comfort_temp_circuit_2", 20);
            put("eco_temp_circuit_2", 18);
            put("heating_curve_circuit_2", 0.4);
            put("fixed_value_temp", 35);
            put("hot_water_comfort_temp", 50);
            put("hot_water_eco_temp", 45);
            put("hot_water_stages", 2);
            put("pressure_heating", 1.85);
            put("temp_source", 4.5);
            put("pressure_source", 1.42);
            put("temp_fixed_setpoint", 35);
        } else {
            put("operating_mode", 11);
            put("room_temp_day_circuit_1", 21);
            put("room_temp_night_circuit_1", 18.5);
            put("heating_curve_circuit_1", 0.45);
            put("heating_curve_low_end_circuit_1", 10);
            put("hot_water_temp_day", 48);
            put("hot_water_temp_night", 45);
            put("hot_water_temp_manual", 50);
            put("pressure_heating", 1.7);
            put("fan_speed_supply", 38);
            put("fan_speed_extract", 41);
            put("temp_room_circuit_1", 21.2);
            put("temp_room_setpoint_circuit_1", 21);
        }
        put("temp_hot_water", 47.5);
        put("sg_ready_enabled", 0);
        put("sg_ready_input_1", 0);
        put("sg_ready_input_2", 0);
        put("controller_id", controller.id());
        put("fault_status", 0);
        put("bus_status", 0);
        put("utility_lock", 0);
        put("active_error", 0);
        step(0);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The thermal model

    @Override
    public synchronized void step(double dt) {
        seconds += dt;
        fallBackSgReady();
        updateSgReadyState();
        double outdoor = 2.0 + 6.0 * Math.sin(2 * Math.PI * seconds / 3600.0);
        boolean wpm = model == StiebelModel.WPM;
        double rise = get("heating_curve_circuit_1", 0.6);
        double room = get(wpm ? "comfort_temp_circuit_1" : "room_temp_day_circuit_1", 21);
        double flowSet = clamp(room + 4 + (20 - outdoor) * rise * 1.2, 22, 55);
        double flow = get("temp_flow", flowSet - 3);
        double hotWater = get("temp_hot_water", 47);
        double hotWaterTarget = get(wpm ? "hot_water_comfort_temp" : "hot_water_temp_day", 48);
        // SG Ready "forced"/"maximum" lifts the hot-water target (the boost itself is configured in the ISG UI)
        double sgState = get("sg_ready_state", 2);
        if (sgState >= 3) {
            hotWaterTarget += 3;
        }

        if (!chargingHotWater && hotWater < hotWaterTarget - 5) {
            chargingHotWater = true;
        } else if (chargingHotWater && hotWater >= hotWaterTarget) {
            chargingHotWater = false;
        }
        boolean wasOn = compressorOn;
        boolean blocked = sgState == 1;
        compressorOn = !blocked && (chargingHotWater || flow < flowSet - 2 || (compressorOn && flow < flowSet + 2));
        if (compressorOn && !wasOn) {
            compressorStarts++;
        }
        boolean heating = compressorOn && !chargingHotWater;
        boolean defrost = compressorOn && outdoor < 1 && ((long) seconds / 600) % 6 == 5;
        double electricKw = compressorOn ? (chargingHotWater ? 1.9 : 1.4) : 0;
        double heatKw = defrost ? 0 : electricKw * (chargingHotWater ? 2.9 : 4.1);

        flow += heating && !defrost ? (flowSet + 3 - flow) * Math.min(1, 0.02 * dt)
                : (outdoor + 15 - flow) * Math.min(1, 0.002 * dt);
        hotWater = clamp(hotWater + ((chargingHotWater && compressorOn ? 0.01 : 0) - 0.001) * dt, 10, 65);
        double kwh = heatKw * dt / 3600.0;
        double used = electricKw * dt / 3600.0;
        if (chargingHotWater) {
            heatHotWater += kwh;
            electricHotWater += used;
        } else {
            heatHeating += kwh;
            electricHeating += used;
        }
        heatToday = (seconds % 86400 < dt) ? 0 : heatToday + kwh;
        electricToday = (seconds % 86400 < dt) ? 0 : electricToday + used;
        double spread = compressorOn ? 5 : 1;

        put("temp_outdoor", round1(outdoor));
        put("temp_flow", round1(flow));
        put("temp_return", round1(flow - spread));
        put("temp_hot_water", round1(hotWater));
        put("temp_hot_water_setpoint", hotWaterTarget);
        put("temp_circuit_1", round1(flow - 0.4));
        put("temp_circuit_1_setpoint", round1(flowSet));
        put("temp_hot_gas", round1(compressorOn ? flow + 38 : flow));
        if (wpm) {
            put("temp_circuit_2", round1(flow - 6));
            put("temp_circuit_2_setpoint", round1(flowSet - 6));
            put("temp_flow_heat_pump", round1(flow + 0.3));
            put("temp_buffer", round1(flow - 1));
            put("temp_buffer_setpoint", round1(flowSet));
            put("flow_rate", compressorOn ? 18.25 : 0);
            put("pressure_high", compressorOn ? 24.5 : 9.1);
            put("pressure_low", compressorOn ? 6.2 : 9.0);
            put("power_inverter", round1(electricKw));
            long status = (heating ? 1 : 0) | (heating ? 1 << 4 : 0) | (chargingHotWater && compressorOn ? 1 << 5 : 0)
                    | (compressorOn ? 1 << 6 : 0) | (defrost ? 1 << 9 : 0);
            put("operating_status", status);
            put("energy_heating_day", Math.floor(chargingHotWater ? 0 : heatToday));
            put("energy_heating_consumed_day", Math.floor(chargingHotWater ? 0 : electricToday));
            splitTotal(3502, heatHeating);
            splitTotal(3505, heatHotWater);
            splitTotal(3507, 12);
            splitTotal(3509, 3);
            splitTotal(3512, electricHeating);
            splitTotal(3515, electricHotWater);
            put("runtime_compressor_heating", 812);
            put("runtime_compressor_hot_water", 233);
        } else {
            put("pressure_high", compressorOn ? 22.4 : 8.8);
            put("pressure_low", compressorOn ? 5.9 : 8.7);
            put("flow_rate", compressorOn ? 14.5 : 0);
            put("compressor_speed", compressorOn ? 48.5 : 0);
            long status = (compressorOn ? 1 << 1 : 0) | (heating ? 1 << 2 : 0)
                    | (chargingHotWater && compressorOn ? 1 << 4 : 0) | 1 << 9 | (defrost ? 1 << 11 : 0);
            put("operating_status", status);
            put("energy_heating_day", Math.floor(chargingHotWater ? 0 : heatToday));
            put("energy_heating_consumed_day", Math.floor(chargingHotWater ? 0 : electricToday));
            splitTotal(3002, heatHeating);
            splitTotal(3005, heatHotWater);
            splitTotal(3007, 7);
            splitTotal(3009, 2);
            splitTotal(3023, electricHeating);
            splitTotal(3026, electricHotWater);
            // compressor starts: HI on 31, LOW on 34
            setRaw(RegisterKind.INPUT, 34, (int) (compressorStarts % 1000));
            setRaw(RegisterKind.INPUT, 31, (int) (compressorStarts / 1000));
            put("runtime_compressor_heating", 5120);
            put("runtime_compressor_hot_water", 1377);
        }
        put("defrost_initiated", defrost ? 1 : 0);
    }

    /** A whole-kWh total into its kWh (LOW, manual n) and MWh (HI, n + 1) registers. */
    private void splitTotal(int lowNumber, double kwh) {
        long whole = (long) Math.floor(kwh);
        setRaw(RegisterKind.INPUT, lowNumber, (int) (whole % 1000));
        setRaw(RegisterKind.INPUT, lowNumber + 1, (int) (whole / 1000));
    }

    private void fallBackSgReady() {
        sgWrittenAt.entrySet().removeIf(e -> {
            if (seconds - e.getValue() < sgReadyFallbackSeconds) {
                return false;
            }
            bank.set(RegisterKind.HOLDING, e.getKey(), 0);
            return true;
        });
    }

    private synchronized void updateSgReadyState() {
        boolean on = get("sg_ready_enabled", 0) == 1;
        int in1 = (int) get("sg_ready_input_1", 0);
        int in2 = (int) get("sg_ready_input_2", 0);
        int state = !on ? 2 : in1 == 1 && in2 == 1 ? 4 : in1 == 1 ? 3 : in2 == 1 ? 1 : 2;
        put("sg_ready_state", state);
    }

    private double get(String id, double fallback) {
        Double v = value(id);
        return v == null ? fallback : v;
    }

    /** Serves a value if this controller has the sensor and fills it. */
    private void put(String id, double value) {
        SensorDefinition s = sensors.get(id);
        if (s == null) {
            return;
        }
        StiebelRegister row = rowsById.get(id);
        if (row != null && !row.servedBy(controller)) {
            return;
        }
        if (!s.dataType().signed() && value < 0) {
            value = 0;
        }
        bank.setValue(s, value, ORDER);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
