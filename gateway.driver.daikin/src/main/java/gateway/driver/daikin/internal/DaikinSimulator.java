package gateway.driver.daikin.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import gateway.core.api.DeviceConfig;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.modbus.SimulatedModbusDevice;
import gateway.core.modbus.WordOrder;
import gateway.core.simulation.LabelledFault;
import gateway.core.simulation.ShortCyclingTrip;

/**
 * A simulated Daikin Altherma on a loopback port. It serves the whole spans the proven implementations read
 * (Altherma 3 / EKRHH: holding 1–67, input 21–61; Altherma 4: holding 1–80, input 21–87, coils 1–7, discrete inputs
 * 1–26); registers nobody documents read 32767 ("unsupported").
 *
 * <p>Like the Home Hub, the additional-zone registers (holding 61+ and input 58–61) read 32766 ("unavailable") when
 * the simulated installation has no additional zone ({@code circuits} without {@code additional}). Altherma 4 accepts
 * at most 3 clients. A small model moves the values: the leaving water follows the (fixed or weather-dependent)
 * setpoint, the tank cools and is reheated.
 *
 * <p>By default the outdoor temperature runs through an hour-long "day" and the compressor runs whenever space
 * heating is on, so the demo moves visibly. After {@link #weather(long)} the model runs a real 24 h day (coldest at
 * 05:00) with seeded day-to-day weather: the leaving water cycles around its target with a ±2 K hysteresis (standby
 * in between), the tank is tapped at 07:00 and 19:00, and the unit defrosts below 3 °C outdoor. That is the mode the
 * anomaly-detection harness evaluates in, driven by {@link #step(double)} on a simulator made by
 * {@link #offline(DaikinModel, DeviceConfig)} (no socket, no thread).
 *
 * <p>Labelled faults ({@link LabelledFault}, all six) show as: stuck sensor — the return water (input 43) keeps its
 * value; drift — the leaving water after the plate heat exchanger (input 41) reads 1 K higher per hour; low flow — the
 * flow rate reads a third and the leaving−return spread triples while running; short cycling — the compressor trips
 * after 4 minutes and stays off 4 minutes; failed defrost — the defrost flag is on 15 of every 60 minutes of heating
 * and in between the unit gives 40 % less heat for the same power (spread 3 K instead of 5 K, the water warms more
 * slowly); hot water not reached — the tank stops at 42 °C and the reheat never ends.
 */
public final class DaikinSimulator extends SimulatedModbusDevice {

    private static final int UNSUPPORTED = 32767;
    private static final int UNAVAILABLE = 32766;

    private final DaikinModel model;
    private final boolean additionalZone;

    private boolean reheating;
    private boolean spaceHeating;
    private boolean wasRunning;
    private double hotWater = Double.NaN;
    private double leavingWater = Double.NaN;

    /** What the return sensor showed when a stuck_sensor fault began. */
    private double stuckReturn;
    private final ShortCyclingTrip shortCycling = ShortCyclingTrip.timedWhileFaulty();

    private DaikinSimulator(DaikinModel model, int port, DeviceConfig installed, long tickMillis) throws IOException {
        this(model, installed);
        serve(port, tickMillis);
    }

    private DaikinSimulator(DaikinModel model, DeviceConfig installed) {
        super("daikin-sim-" + model.id(), WordOrder.HIGH_WORD_FIRST);
        this.model = model;
        this.additionalZone = installed.circuits().contains(DaikinRegisterMap.ADDITIONAL);
        boolean a4 = model == DaikinModel.ALTHERMA_4;
        int holdingCount = a4 ? 80 : 67;
        int inputLast = a4 ? 87 : 61;
        bank.define(RegisterKind.HOLDING, 0, holdingCount, false);
        bank.define(RegisterKind.INPUT, 20, inputLast - 20, false);
        for (int a = 0; a < holdingCount; a++) {
            bank.set(RegisterKind.HOLDING, a, UNSUPPORTED);
        }
        for (int a = 20; a < inputLast; a++) {
            bank.set(RegisterKind.INPUT, a, UNSUPPORTED);
        }
        if (a4) {
            bank.define(RegisterKind.COIL, 0, 7, true);
            bank.define(RegisterKind.DISCRETE_INPUT, 0, 26, false);
        }
        // the simulator always knows every register; the installation decides what they serve
        DeviceConfig all = new DeviceConfig(DaikinRegisterMap.CIRCUITS, List.of(), Map.of());
        for (SensorDefinition s : DaikinRegisterMap.sensors(model, all)) {
            sensors.put(s.id(), s);
            bank.define(s);
        }
        server.allowFunctions(RegisterKind.HOLDING, 3, 6, 16);
        server.allowFunctions(RegisterKind.INPUT, 4);
        if (a4) {
            server.allowFunctions(RegisterKind.COIL, 1, 5, 15);
            server.allowFunctions(RegisterKind.DISCRETE_INPUT, 2);
            // Daikin: at most 3 connections in total across 502/802
            server.maxClients(3);
        } else {
            server.allowFunctions(RegisterKind.COIL);
            server.allowFunctions(RegisterKind.DISCRETE_INPUT);
        }
        initialValues();
    }

    /**
     * Starts a simulator on 127.0.0.1.
     *
     * @param installed  circuits of the simulated installation ({@code additional} for an additional zone)
     * @param tickMillis model step period; 0 freezes the values (tests call {@link #step(double)})
     */
    public static DaikinSimulator start(DaikinModel model, int port, DeviceConfig installed, long tickMillis)
            throws IOException {
        return new DaikinSimulator(model, port, installed, tickMillis);
    }

    /** A simulator without socket or model thread: the model moves only on {@link #step(double)}. */
    public static DaikinSimulator offline(DaikinModel model, DeviceConfig installed) {
        return new DaikinSimulator(model, installed);
    }

    /** Serves a raw register value, e.g. a sentinel or two ASCII characters (every Daikin value is one register). */
    public void setRaw(String id, int raw) {
        SensorDefinition s = sensor(id);
        bank.set(s.registerKind(), s.address(), raw);
    }

    private void initialValues() {
        put("unit_error", 0);
        bank.set(RegisterKind.INPUT, sensor("unit_error_code").address(), 0x2020); // "  ": no error code
        put("unit_error_sub_code", UNAVAILABLE); // 32766 = no error
        put("lw_heating_setpoint", 35);
        put("lw_cooling_setpoint", 18);
        put("operation_mode", 1);
        put("space_on", 1);
        put("room_heating_setpoint", 21);
        put("room_cooling_setpoint", 25);
        put("quiet_mode", 0);
        put("hot_water_setpoint", 48);
        put("hot_water_reheat", 1);
        put("hot_water_booster", 0);
        put("hot_water_booster_setpoint", 55);
        put("hot_water_single_heat_up", 0);
        put("hot_water_single_heat_up_setpoint", 50);
        put("weather_dependent_mode", 1);
        put("weather_dependent_heating", 1);
        put("weather_dependent_cooling", 0);
        put("wd_heating_offset", 0);
        put("wd_cooling_offset", 0);
        put("smart_grid_mode", 0);
        put("power_limit_recommended", 6);
        put("power_limit", 9);
        put("thermostat_input_main", 0);
        put("thermostat_request_main", 1);
        put("hot_water_mode", 0);
        put("room_heating_setpoint", 21);
        put("room_cooling_setpoint", 25);
        put("lw_heating_setpoint_min", 25);
        put("lw_heating_setpoint_max", 55);
        put("lw_cooling_setpoint_min", 7);
        put("lw_cooling_setpoint_max", 22);
        put("room_heating_setpoint_min", 12);
        put("room_heating_setpoint_max", 30);
        put("room_cooling_setpoint_min", 15);
        put("room_cooling_setpoint_max", 35);
        put("temp_room", 21.3);
        put("temp_hot_water", 46.0);
        put("water_pressure", 1.8);
        put("abnormality_counter", 0);
        put("holiday_mode", 0);
        put("disinfection_state", 1);
        put("demand_response_mode", 0);
        put("hot_water_on", 1);
        put("main_zone_on", 1);
        put("lw_add_heating_setpoint", 30);
        put("lw_add_cooling_setpoint", 20);
        put("weather_dependent_mode_add", 0);
        put("wd_add_heating_offset", 0);
        put("wd_add_cooling_offset", 0);
        put("thermostat_input_add", 0);
        put("thermostat_request_add", 0);
        put("temp_room_add", 20.5);
        put("lw_add_heating_setpoint_min", 25);
        put("lw_add_heating_setpoint_max", 45);
        put("lw_add_cooling_setpoint_min", 7);
        put("lw_add_cooling_setpoint_max", 22);
        put("add_zone_on", 1);
        step(0);
        if (!additionalZone) {
            // Home Hub: registers past 60 and the additional-zone limits read "unavailable" without that zone
            for (SensorDefinition s : sensors.values()) {
                if (DaikinRegisterMap.ADDITIONAL.equals(s.circuit()) && s.registerKind().ordinal() <= 1) {
                    bank.set(s.registerKind(), s.address(), UNAVAILABLE);
                }
            }
            if (model == DaikinModel.ALTHERMA_3_EKRHH) {
                for (int a = 60; a < 67; a++) {
                    bank.set(RegisterKind.HOLDING, a, UNAVAILABLE);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Labelled faults (anomaly detection evaluation; the base class keeps which are active, and the weather)

    @Override
    protected void faultStarted(LabelledFault fault) {
        if (fault == LabelledFault.STUCK_SENSOR) {
            stuckReturn = get("temp_return_water", 0);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The model

    /** Advances the model by {@code dt} seconds and publishes the values. */
    @Override
    public synchronized void step(double dt) {
        seconds += dt;
        boolean realistic = weather != null;
        double outdoor = realistic
                // coldest at 05:00, warmest at 17:00
                ? weather.outdoor(seconds)
                : 4.0 + 7.0 * Math.sin(2 * Math.PI * seconds / 3600.0);
        boolean spaceOn = get("space_on", 1) == 1 || get("main_zone_on", 1) == 1 && model == DaikinModel.ALTHERMA_4;
        int mode = (int) get("operation_mode", 1);
        boolean cooling = mode == 2 || mode == 0 && outdoor > 22;
        double target;
        boolean weatherDependent = model == DaikinModel.ALTHERMA_4
                ? get("weather_dependent_heating", 0) == 1 : ((int) get("weather_dependent_mode", 0)) % 2 == 1;
        if (cooling) {
            target = get("lw_cooling_setpoint", 18) + (weatherDependent ? get("wd_cooling_offset", 0) : 0);
        } else if (weatherDependent) {
            // a typical WD curve: 45 °C at -10 °C outdoor, 30 °C at +15 °C
            target = Math.max(25, Math.min(55, 39 - 0.6 * outdoor)) + get("wd_heating_offset", 0);
        } else {
            target = get("lw_heating_setpoint", 35);
        }
        double dhw = unrounded(get("temp_hot_water", 45), hotWater);
        double dhwSet = get("hot_water_booster", 0) == 1 ? get("hot_water_booster_setpoint", 55) : get("hot_water_setpoint", 48);
        if (!reheating && dhw < dhwSet - 8 && get("hot_water_reheat", 1) == 1) {
            reheating = true;
        } else if (reheating && dhw >= dhwSet) {
            reheating = false;
        }
        double lwt = unrounded(get("temp_leaving_water_buh", target), leavingWater);
        if (realistic) {
            // the leaving water cycles around its target: on 2 K below, off 2 K above
            spaceHeating = spaceOn && (spaceHeating ? lwt < target + 2 : lwt < target - 2);
        } else {
            spaceHeating = spaceOn;
        }
        boolean compressor = reheating || spaceHeating;
        compressor = shortCycling.runs(compressor, wasRunning, faulty(LabelledFault.SHORT_CYCLING), seconds);
        wasRunning = compressor;
        boolean heating = compressor && !reheating && !cooling;
        boolean iced = faulty(LabelledFault.FAILED_DEFROST);
        boolean defrost;
        if (realistic || iced) {
            defrost = heating && (outdoor < 3 || iced) && (seconds % 3600) < (iced ? 900 : 300);
        } else {
            defrost = compressor && !cooling && outdoor < 3 && ((long) seconds / 900) % 4 == 3;
        }
        double output = iced ? 0.6 : 1.0; // an iced coil takes little heat from the air
        if (!realistic) {
            double aim = reheating ? dhwSet + 5 : spaceOn ? target : outdoor + 12;
            lwt += (aim - lwt) * Math.min(1, 0.05 * output * dt);
        } else if (defrost) {
            lwt += (15 - lwt) * Math.min(1, dt / 1200); // the defrost takes its heat from the water
        } else if (compressor) {
            double aim = reheating ? dhwSet + 5 : target + 4;
            lwt += (aim - lwt) * Math.min(1, output * dt / 900);
        } else {
            lwt += (21 - lwt) * Math.min(1, dt / 1800); // the emitters give off what the water holds
        }
        double clock = (seconds % 86400) / 3600.0;
        boolean tapping = realistic && ((clock >= 7 && clock < 7.5) || (clock >= 19 && clock < 19.5));
        // demo: fast reheat and loss; realistic: about 11 K/h reheating, 0.7 K/h standing loss, a 7 K shower
        double gain = reheating && compressor ? (realistic ? 0.003 : 0.02) : 0;
        double loss = realistic ? 0.0002 + (tapping ? 0.004 : 0) : reheating ? 0 : 0.002;
        if (faulty(LabelledFault.HOT_WATER_NOT_REACHED) && dhw >= 42) {
            gain = 0; // the reheat cannot lift the tank above 42 °C: it cools to there and stays
        }
        dhw = Math.max(10, Math.min(70, dhw + (gain - loss) * dt));
        hotWater = dhw;
        leavingWater = lwt;
        double kw = compressor ? Math.max(0.4, Math.abs(lwt - outdoor) * 0.06) : 0.02;
        double spread = compressor ? 5 * (heating ? output : 1) : realistic ? 1 : 5;
        if (realistic && defrost) {
            spread = -2; // the reversed cycle takes heat from the water: it leaves colder than it returns
        }
        if (faulty(LabelledFault.LOW_FLOW) && compressor) {
            spread *= 3;
        }
        double driftSince = faultSince(LabelledFault.SENSOR_DRIFT);
        double drift = Double.isNaN(driftSince) ? 0 : (seconds - driftSince) / 3600.0;
        double returnWater = faulty(LabelledFault.STUCK_SENSOR) ? stuckReturn : r2(lwt + (cooling ? 3 : -spread));

        put("temp_outdoor", r2(outdoor));
        put("temp_leaving_water_phe", r2(lwt - 0.2 + drift));
        put("temp_leaving_water_buh", r2(lwt));
        put("temp_return_water", returnWater);
        put("temp_hot_water", r2(dhw));
        put("temp_hot_water_upper", r2(dhw));
        put("temp_hot_water_lower", r2(dhw - 6));
        put("temp_liquid_refrigerant", r2(lwt + (cooling ? -4 : 2)));
        put("flow_rate", compressor ? (faulty(LabelledFault.LOW_FLOW) ? 7.2 : 21.5) : 0);
        put("power_consumption", r2(kw));
        put("circulation_pump_running", compressor ? 1 : 0);
        put("compressor_running", compressor ? 1 : 0);
        put("booster_heater_running", reheating && get("hot_water_booster", 0) == 1 ? 1 : 0);
        put("defrost", defrost ? 1 : 0);
        put("three_way_valve", reheating ? 1 : 0);
        put("operation_mode_actual", cooling ? 2 : 1);
        put("hot_water_operation", reheating ? 1 : 0);
        put("space_operation", spaceOn && !reheating ? 1 : 0);
        put("temp_main_zone_target", r2(target));
        put("temp_leaving_water_pre_phe", r2(lwt - 0.4));
        put("temp_leaving_water_tank_valve", r2(lwt - 0.3));
        put("unit_operation_mode", !compressor ? 0 : reheating ? 1 : cooling ? 3 : 2);
        put("tank_valve_position", reheating ? 100 : 0);
        put("bypass_valve_position", 0);
        put("circulation_pump_speed", compressor ? 60 : 0);
        put("di_compressor_run", compressor ? 1 : 0);
        put("di_hot_water_running", reheating ? 1 : 0);
        put("di_main_zone_running", spaceOn && !reheating ? 1 : 0);
        put("di_defrost_active", defrost ? 1 : 0);
        put("di_circulation_pump", compressor ? 1 : 0);
        put("di_quiet_mode_active", get("quiet_mode", 0) > 0 ? 1 : 0);
    }

    /**
     * The model's own value of a temperature the registers serve rounded to 0.01 K, so slow changes add up the same
     * whatever the step; a value someone served since ({@link #set}, a write) wins.
     */
    private static double unrounded(double served, double model) {
        return Double.isNaN(model) || Math.abs(served - r2(model)) > 0.0051 ? served : model;
    }

    private double get(String id, double fallback) {
        Double v = value(id);
        return v == null ? fallback : v;
    }

    private void put(String id, double value) {
        SensorDefinition s = sensors.get(id);
        if (s == null) {
            return;
        }
        // the additional zone's registers keep serving "unavailable" when it is not installed
        if (!additionalZone && DaikinRegisterMap.ADDITIONAL.equals(s.circuit()) && seconds > 0) {
            return;
        }
        bank.setValue(s, value, WordOrder.HIGH_WORD_FIRST);
    }

    private static double r2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
