package gateway.driver.nibe.internal;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import gateway.core.api.DataType;
import gateway.core.api.DeviceConfig;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.modbus.SimulatedModbusDevice;
import gateway.core.modbus.RegisterCodec;
import gateway.core.simulation.LabelledFault;
import gateway.core.simulation.ShortCyclingTrip;

/**
 * A simulated NIBE S-series controller on a loopback port: the built-in registers of the model, FC04 for input
 * registers only (FC03 on an input register gets exception 01, as sensor values are not holding registers), FC03/
 * FC06/FC16 for holding registers, no coils. A small thermal model moves the values: degree minutes drive the
 * compressor, the supply follows the heating curve, the water heater cools and is recharged.
 *
 * <p>Like the real pump, 32-bit values are served low word first and taken high word first on writes (the sheet's
 * reported asymmetry). The room sensor BT50 is "not connected" and serves -32768.
 *
 * <p>By default the outdoor temperature runs through an hour-long "day" so the demo moves visibly. After
 * {@link #weather(long)} the model runs a real 24 h day (coldest at 05:00) with seeded day-to-day weather, tapping
 * at 07:00 and 19:00 and realistic hot water losses: the mode the anomaly-detection harness evaluates in, driven by
 * {@link #step(double)} on a simulator made by {@link #offline(NibeModel)} (no socket, no thread).
 *
 * <p>Labelled faults ({@link LabelledFault}) show as: stuck sensor — the return line BT3 keeps its value; drift — the
 * supply line BT2 reads 1 K higher per hour and the controller regulates on it; low flow — BF1 reads a third and the
 * supply−return spread triples while the compressor runs; short cycling — the compressor trips after 4 minutes and
 * stays off 4 minutes; failed defrost (S2125 only: a ground-source pump has no defrost) — defrosting 15 of every 60
 * minutes of heating, suction gas 7 K colder, 40 % less heat; hot water not reached — BT7 stops at 42 °C and the
 * charge never ends.
 */
public final class NibeSimulator extends SimulatedModbusDevice {


    private final NibeModel model;

    // thermal state
    private boolean compressorOn;
    private boolean chargingHotWater;
    private double energyProduced = 12345.6;
    private double energyConsumed = 3456.7;
    private long compressorStarts = 1234;

    /** What the return sensor showed when a stuck_sensor fault began. */
    private double stuckReturn;
    private double servedDrift;
    private double supplyWater = Double.NaN;
    private double hotWaterTop = Double.NaN;
    private final ShortCyclingTrip shortCycling = ShortCyclingTrip.timedAlways();

    private NibeSimulator(NibeModel model, int port, long tickMillis) throws IOException {
        this(model);
        serve(port, tickMillis);
    }

    private NibeSimulator(NibeModel model) {
        super("nibe-sim-" + model.id(), NibeRegisterMap.READ_WORD_ORDER);
        this.model = model;
        // a ground-source pump has no defrost, so its registers cannot show a failed one
        if (model.groundSource()) {
            offerFaults(EnumSet.complementOf(EnumSet.of(LabelledFault.FAILED_DEFROST)));
        }
        DeviceConfig all = new DeviceConfig(model.climateSystems(), List.of(), Map.of());
        for (SensorDefinition s : NibeRegisterMap.builtIn(model, all)) {
            sensors.put(s.id(), s);
            bank.define(s);
        }
        initialValues();
        bank.onWrite(this::written);
        // sensor values are input registers only; S-series has no coils (yozik04/nibe#1: FC01/FC02 → exception)
        server.allowFunctions(RegisterKind.INPUT, 4);
        server.allowFunctions(RegisterKind.HOLDING, 3, 6, 16);
        server.allowFunctions(RegisterKind.COIL);
        server.allowFunctions(RegisterKind.DISCRETE_INPUT);
    }

    /**
     * Starts a simulator on 127.0.0.1.
     *
     * @param tickMillis model step period; 0 freezes the values (tests call {@link #step(double)} themselves)
     */
    public static NibeSimulator start(NibeModel model, int port, long tickMillis) throws IOException {
        return new NibeSimulator(model, port, tickMillis);
    }

    /** A simulator without socket or model thread: the model moves only on {@link #step(double)}. */
    public static NibeSimulator offline(NibeModel model) {
        return new NibeSimulator(model);
    }

    public NibeModel model() {
        return model;
    }

    /** Makes a sensor read its "not available" sentinel (a disconnected or broken sensor). */
    public void breakSensor(String id) {
        SensorDefinition s = sensor(id);
        bank.setRaw(s, NibeRegisterMap.sentinels(s.dataType())[0], NibeRegisterMap.READ_WORD_ORDER);
    }

    /** 32-bit writes arrive high word first; store them the way the pump serves them (low word first). */
    private void written(RegisterKind kind, int address, int[] values) {
        for (SensorDefinition s : sensors.values()) {
            if (s.registerKind() == kind && s.address() == address && s.dataType().registers() == 2
                    && values.length == 2) {
                long raw = RegisterCodec.toLong32(values, 0, NibeRegisterMap.WRITE_WORD_ORDER, s.dataType().signed());
                bank.setRaw(s, raw, NibeRegisterMap.READ_WORD_ORDER);
            }
        }
    }

    private void initialValues() {
        for (SensorDefinition s : sensors.values()) {
            if (s.registerKind() == RegisterKind.HOLDING && s.min() != null && s.max() != null) {
                put(s.id(), Math.max(s.min(), Math.min(s.max(), 0)));
            }
        }
        put("heating_curve_circuit_1", 9);
        put("heating_curve_circuit_2", 7);
        put("heating_curve_circuit_3", 5);
        put("supply_min_circuit_1", 20);
        put("supply_min_circuit_2", 20);
        put("supply_min_circuit_3", 20);
        put("supply_max_circuit_1", 60);
        put("supply_max_circuit_2", 45);
        put("supply_max_circuit_3", 45);
        put("room_setpoint_circuit_1", 20);
        put("room_setpoint_circuit_2", 20);
        put("room_setpoint_circuit_3", 20);
        put("ext_adjustment_room_circuit_1", 20);
        put("hot_water_demand_mode", 1);
        put("add_heat_dm_step", 100);
        put("add_heat_max_internal", 7);
        put("sg_ready_heating", 1);
        put("sg_ready_cooling", 1);
        put("sg_ready_hot_water", 1);
        put("degree_minutes", -120);
        put("temp_supply_circuit_1", 35);
        put("temp_hot_water_top", 49.5);
        put("temp_hot_water_charging", 47.0);
        put("priority", 10);
        put("sg_ready_mode", 10);
        put("smart_price_mode", 10);
        put("more_hot_water_status", 0);
        put("alarm_number", 0);
        put("alarm_class1", 0);
        put("current_be1", 3.2);
        put("current_be2", 3.0);
        put("current_be3", 2.9);
        put("energy_pulse_meter", 2875.42);
        put("compressor_hours", 8123);
        put("runtime_add_heat", 12.3);
        put("runtime_add_heat_hot_water", 4.5);
        // BT50 room sensor not installed: the pump reports -32768
        if (sensors.containsKey("temp_room_circuit_1")) {
            breakSensor("temp_room_circuit_1");
        }
        step(0);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Labelled faults (anomaly detection evaluation; the base class keeps which are active, and the weather)

    @Override
    protected void faultStarted(LabelledFault fault) {
        if (fault == LabelledFault.STUCK_SENSOR) {
            stuckReturn = get("temp_return", 0);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The thermal model

    /** Advances the thermal model by {@code dt} seconds and publishes the values. */
    @Override
    public synchronized void step(double dt) {
        seconds += dt;
        boolean realistic = weather != null;
        double outdoor = realistic
                // coldest at 05:00, warmest at 17:00
                ? weather.outdoor(seconds)
                // an hour-long "day" so the demo moves visibly
                : 2.0 + 6.0 * Math.sin(2 * Math.PI * seconds / 3600.0);
        double curve = get("heating_curve_circuit_1", 9);
        double offset = get("heating_offset_circuit_1", 0);
        double minSupply = get("supply_min_circuit_1", 20);
        double maxSupply = get("supply_max_circuit_1", 60);
        double calc = clamp(20 + offset + (20 - outdoor) * curve * 0.085, minSupply, maxSupply);
        // the controller regulates on what BT2 reports; the water itself is that minus the sensor's drift
        double sensedSupply = get("temp_supply_circuit_1", calc - 2);
        double supply = unrounded(sensedSupply, supplyWater + servedDrift) - servedDrift;
        double dm = get("degree_minutes", 0);
        double hwTop = unrounded(get("temp_hot_water_top", 48), hotWaterTop);
        double hwStart = switch ((int) get("hot_water_demand_mode", 1)) {
            case 0 -> 42;
            case 2 -> 48;
            default -> 45;
        };

        // degree minutes: integral of (supply - calculated supply) per minute, NIBE's heating demand signal
        dm = clamp(dm + (sensedSupply - calc) * dt / 60.0, -3000, 3000);
        if (!chargingHotWater && hwTop < hwStart) {
            chargingHotWater = true;
        } else if (chargingHotWater && hwTop > hwStart + 7) {
            chargingHotWater = false;
        }
        boolean wasOn = compressorOn;
        compressorOn = chargingHotWater || dm < -60 || (compressorOn && dm < 0);
        compressorOn = shortCycling.runs(compressorOn, wasOn, faulty(LabelledFault.SHORT_CYCLING), seconds);
        if (compressorOn && !wasOn) {
            compressorStarts++;
        }
        boolean heating = compressorOn && !chargingHotWater;
        boolean iced = faulty(LabelledFault.FAILED_DEFROST) && !model.groundSource();
        boolean defrosting;
        if (model.groundSource()) {
            defrosting = false;
        } else if (realistic || iced) {
            defrosting = heating && (outdoor < 3 || iced) && (seconds % 3600) < (iced ? 900 : 300);
        } else {
            defrosting = compressorOn && outdoor < 2 && ((long) seconds / 600) % 6 == 5;
        }
        double output = iced ? 0.6 : 1.0; // an iced evaporator takes little heat from the air
        double hz = compressorOn ? clamp(30 + (-dm) / 10.0 + (chargingHotWater ? 20 : 0), 20, 110) : 0;
        double powerW = hz * 22;
        double heatKw = defrosting ? 0 : powerW * (chargingHotWater ? 2.8 : 4.2) * output / 1000.0;

        if (heating && !defrosting) {
            supply += (calc + 3 - supply) * Math.min(1, 0.02 * output * dt);
        } else {
            // defrosting takes the heat from the heating water: it cools like a stopped pump, only faster
            supply += (outdoor + 15 - supply) * Math.min(1, (defrosting ? 0.004 : 0.002) * dt);
        }
        double clock = (seconds % 86400) / 3600.0;
        boolean tapping = realistic && ((clock >= 7 && clock < 7.5) || (clock >= 19 && clock < 19.5));
        // demo: fast charge and loss; realistic: about 11 K/h charging, 0.7 K/h standing loss, a 7 K shower
        double gain = chargingHotWater && compressorOn ? (realistic ? 0.003 : 0.01) : 0;
        double loss = realistic ? 0.0002 + (tapping ? 0.004 : 0) : chargingHotWater ? 0 : 0.001;
        if (faulty(LabelledFault.HOT_WATER_NOT_REACHED) && hwTop >= 42) {
            gain = 0; // the charge cannot lift the tank above 42 °C: it cools to there and stays
        }
        hwTop = clamp(hwTop + (gain - loss) * dt, 10, 65);
        energyProduced += heatKw * dt / 3600.0;
        energyConsumed += powerW / 1000.0 * dt / 3600.0;

        supplyWater = supply;
        hotWaterTop = hwTop;
        double driftSince = faultSince(LabelledFault.SENSOR_DRIFT);
        servedDrift = Double.isNaN(driftSince) ? 0 : (seconds - driftSince) / 3600.0;
        double spread = compressorOn ? (faulty(LabelledFault.LOW_FLOW) ? 15 : 5) : 1;
        double returnLine = faulty(LabelledFault.STUCK_SENSOR) ? stuckReturn : round1(supply - spread);

        put("temp_outdoor", round1(outdoor));
        put("temp_outdoor_average", round1(outdoor + 0.3));
        put("temp_supply_calculated_circuit_1", round1(calc));
        put("temp_supply_calculated_circuit_2", round1(calc - 8));
        put("temp_supply_calculated_circuit_3", round1(calc - 10));
        put("temp_supply_circuit_1", round1(supply + servedDrift));
        put("temp_supply_circuit_2", round1(supply - 8));
        put("temp_supply_circuit_3", round1(supply - 10));
        put("temp_return", returnLine);
        put("temp_hot_water_top", round1(hwTop));
        put("temp_hot_water_charging", round1(hwTop - 2.5));
        put("degree_minutes", Math.round(dm * 10) / 10.0);
        put("priority", chargingHotWater ? 20 : compressorOn ? 30 : 10);
        put("flow_bf1", compressorOn ? (faulty(LabelledFault.LOW_FLOW) ? 6.2 : 18.5) : 0);
        put("pump_speed_gp1", compressorOn ? 55 : 0);
        put("compressor_freq_current", round1(hz));
        put("compressor_freq", Math.round(hz));
        put("compressor_freq_requested", Math.round(hz));
        put("compressor_power_input", Math.round(powerW));
        put("compressor_power_input_avg", Math.round(powerW * 0.9));
        put("compressor_mode", compressorOn ? 20 : 10);
        put("compressor_power", Math.round(powerW / 1000.0));
        put("compressor_starts", compressorStarts);
        put("power_heating_generated", round1(heatKw));
        put("power_consumption", Math.round(powerW / 10.0) / 100.0);
        put("energy_produced_total", round1(energyProduced));
        put("energy_consumed_total", round1(energyConsumed));
        put("energy_heating_produced_hour", chargingHotWater ? 0 : Math.round(heatKw * 100) / 100.0);
        put("energy_hot_water_produced_hour", chargingHotWater ? Math.round(heatKw * 100) / 100.0 : 0);
        put("energy_heating_used_hour", chargingHotWater ? 0 : Math.round(powerW / 10.0) / 100.0);
        put("energy_hot_water_used_hour", chargingHotWater ? Math.round(powerW / 10.0) / 100.0 : 0);
        // ground source: brine cools while the compressor extracts heat
        put("temp_brine_in", round1(5.5 + outdoor * 0.05));
        put("temp_brine_out", round1(5.5 + outdoor * 0.05 - (compressorOn ? 3 : 0.2)));
        put("temp_condenser", round1(supply + (compressorOn ? 2 : 0)));
        put("temp_discharge", round1(compressorOn ? supply + 35 : supply));
        put("temp_liquid_line", round1(supply - 1));
        put("temp_suction_gas", round1((compressorOn ? 2 : outdoor) - (iced && compressorOn ? 7 : 0)));
        put("temp_external_supply", round1(supply - 0.5));
        // outdoor unit (S2125)
        put("temp_unit_outdoor", round1(outdoor - 0.4));
        put("temp_unit_supply", round1(supply + 0.8));
        put("temp_unit_return", round1(supply - spread));
        put("defrosting", defrosting ? 1 : 0);
    }

    /**
     * The model's own value of a temperature the registers serve rounded to 0.1 K, so slow changes (a tank losing
     * 0.006 K per step) add up; a value someone served since ({@link #set}, a write) wins.
     */
    private static double unrounded(double served, double model) {
        return Double.isNaN(model) || Math.abs(served - round1(model)) > 0.051 ? served : model;
    }

    private double get(String id, double fallback) {
        Double v = value(id);
        return v == null ? fallback : v;
    }

    /** Stores a value if the model has the sensor, clamped into its type's raw range. */
    private void put(String id, double value) {
        SensorDefinition s = sensors.get(id);
        if (s == null) {
            return;
        }
        if (!s.dataType().signed() && value < 0) {
            value = 0;
        }
        if (s.dataType() == DataType.INT8 || s.dataType() == DataType.UINT8) {
            value = clamp(value, s.dataType().signed() ? -127 : 0, s.dataType().signed() ? 127 : 254);
        }
        bank.setValue(s, value, NibeRegisterMap.READ_WORD_ORDER);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
