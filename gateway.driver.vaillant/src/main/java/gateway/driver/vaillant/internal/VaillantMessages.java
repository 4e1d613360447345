package gateway.driver.vaillant.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import gateway.core.api.AccessMode;
import gateway.core.api.DataType;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorFlag;

/**
 * The ebusd messages the aroTHERM driver reads, one row per sensor: which eBUS device (circuit) answers it, the
 * message name(s) ebusd knows it by, and how the decimal text ebusd prints becomes the sensor's value. Names, types,
 * ranges and caveats from the Vaillant/ebusd fact sheet §5 (john30/ebusd-configuration `15.ctlv2` and `08.hmu`).
 *
 * <p>ebusd applies the definitions' dividers itself (fact sheet §4): the TCP client receives scaled text such as
 * {@code 45.5}, so {@link Source#factor} only converts units (kW → W, rps → rpm). Sensors are
 * {@link RegisterKind#VIRTUAL}: an ebusd message is addressed by circuit and name, not by a register; the address is
 * the row number, stable per sensor.
 */
final class VaillantMessages {

    /** Which eBUS device a message is read from; the circuit name comes from the connection options. */
    enum Device { HEAT_PUMP, CONTROLLER }

    /** How the printed value is turned into a reading. */
    enum Encoding { NUMBER, ENUM, TEXT }

    /**
     * One ebusd message that can serve a sensor.
     *
     * @param message ebusd message name (case as in the definitions)
     * @param field   field name for multi-field messages (passed as {@code read ... NAME FIELD}), or null
     * @param factor  multiplier from ebusd's unit to the sensor's
     * @param caveat  non-null when the definitions or field reports mark this message broken or missing on some
     *                units: then any {@code ERR:} it answers (other than a dead bus) means "not available here"
     */
    record Source(String message, String field, double factor, String caveat) {
    }

    /**
     * A sensor and the messages that can serve it, tried in order; the first that answers is kept for the session.
     *
     * @param slow read at most every slow max age (energy, counters, COP, settings that rarely change)
     */
    record Point(SensorDefinition sensor, Device device, Encoding encoding, List<Source> sources, boolean slow) {
        String id() {
            return sensor.id();
        }

        /** True for the sensor the session computes from two others (no message of its own). */
        boolean derived() {
            return sources.isEmpty();
        }
    }

    /** The sensors the gateway may write: controller setpoints and modes only (fact sheet §6), issue 17's list. */
    static final Set<String> WRITE_ALLOW_LIST = Set.of("hot_water_target", "heating_mode_z1", "room_setpoint_day_z1",
            "room_setpoint_night_z1", "room_quick_veto_z1");

    /** Heat output = electrical input + environmental yield (fact sheet §11: inferred, not stated by Vaillant). */
    static final String HEAT_OUTPUT = "heat_output";
    static final String ELECTRICAL_POWER = "electrical_power";
    static final String YIELD_POWER = "environmental_yield_power";

    /** opmode2 (UIN): fact sheet §5.1. */
    static final Map<Integer, String> OPMODE = ordered(0, "off", 1, "auto", 2, "manual");
    /** sfmode: fact sheet §5.1. */
    static final Map<Integer, String> SFMODE = ordered(0, "auto", 1, "ventilation", 2, "party", 3, "veto",
            4, "onedayaway", 5, "onedayathome", 6, "load");
    /** HMU State, field state (UCH): 0x01 ready, 0x09 heating, 0x0b error, 0x11 cooling, 0x81 heating water. */
    static final Map<Integer, String> HMU_STATE = ordered(0x01, "ready", 0x09, "heating", 0x0b, "error",
            0x11, "cooling", 0x81, "hot_water");

    private static final String BROKEN_FLOW = "FlowTemp is marked broken on some HMU variants (ebusd-configuration#624)";
    private static final String NEWER_HMU = "RunData messages exist on newer HMUs only";
    private static final String NO_COP = "missing on aroTHERM 55/8.2 HMUX0 (MarkBovee/vaillant-ebus#99)";
    private static final String ENERGY = "answers ERR: invalid position on several units (#523, #624, PR #330)";
    private static final String STATS_PREFIX = "the FF34/E534 prefix of the compressor statistics differs by HW/SW";

    private static final List<Point> POINTS;
    private static final Map<String, Point> BY_ID;

    static {
        List<Point> p = new ArrayList<>();
        // ---- system controller VRC 720 (circuit ctlv2), fact sheet §5.1
        p.add(temp("temp_outdoor", "Outdoor temperature", Device.CONTROLLER, src("DisplayedOutsideTemp")));
        p.add(temp("temp_system_flow", "System flow temperature", Device.CONTROLLER, src("SystemFlowTemp")));
        p.add(temp("temp_flow_hc1", "Flow temperature HC1", Device.CONTROLLER, src("Hc1FlowTemp")));
        p.add(temp("temp_flow_target_hc1", "Flow temperature target HC1", Device.CONTROLLER,
                src("Hc1ActualFlowTempDesired")));
        p.add(temp("temp_hot_water", "Hot water temperature", Device.CONTROLLER, src("HwcStorageTemp")));
        p.add(point(base("hot_water_target", "Hot water target", SensorCategory.SETPOINT, "°C")
                .access(AccessMode.READ_WRITE).range(35, 70).step(1.0).flag(SensorFlag.EEPROM)
                .description("VRC 720 HwcTempDesired, 35–70 °C in steps of 1 (15.ctlv2.tsp @minValue/@maxValue). "
                        + "Write endurance of the controller's memory is unknown: written only on change."),
                Device.CONTROLLER, Encoding.NUMBER, false, src("HwcTempDesired")));
        p.add(enumPoint("hot_water_mode", "Hot water mode", Device.CONTROLLER, OPMODE, src("HwcOpMode"),
                false, AccessMode.READ_ONLY));
        p.add(enumPoint("hot_water_special_function", "Hot water special function", Device.CONTROLLER, SFMODE,
                src("HwcSFMode"), false, AccessMode.READ_ONLY));
        p.add(temp("temp_room_z1", "Room temperature zone 1", Device.CONTROLLER, src("Z1RoomTemp")));
        p.add(roomSetpoint("room_setpoint_day_z1", "Room setpoint day zone 1", "z1DayTemp", true));
        p.add(roomSetpoint("room_setpoint_night_z1", "Room setpoint night zone 1", "z1NightTemp", true));
        p.add(roomSetpoint("room_quick_veto_z1", "Quick-veto room setpoint zone 1", "Z1QuickVetoTemp", false));
        p.add(enumPoint("heating_mode_z1", "Heating mode zone 1", Device.CONTROLLER, OPMODE, src("Z1OpMode"), false,
                AccessMode.READ_WRITE));
        p.add(temp("room_setpoint_effective_z1", "Effective room setpoint zone 1", Device.CONTROLLER,
                src("z1ActualRoomTempDesired")));
        p.add(point(base("heating_curve_hc1", "Heating curve HC1", SensorCategory.SETPOINT, ""),
                Device.CONTROLLER, Encoding.NUMBER, true, src("Hc1HeatCurve")));
        p.add(point(base("flow_temp_min_hc1", "Minimum flow temperature HC1", SensorCategory.SETPOINT, "°C")
                .flag(SensorFlag.ADVANCED), Device.CONTROLLER, Encoding.NUMBER, true, src("Hc1MinFlowTempDesired")));
        p.add(point(base("flow_temp_max_hc1", "Maximum flow temperature HC1", SensorCategory.SETPOINT, "°C")
                .flag(SensorFlag.ADVANCED), Device.CONTROLLER, Encoding.NUMBER, true, src("Hc1MaxFlowTempDesired")));
        p.add(point(base("status_hc1", "Status HC1", SensorCategory.STATUS, "").type(DataType.UINT16)
                .flag(SensorFlag.ADVANCED), Device.CONTROLLER, Encoding.NUMBER, false, src("Hc1Status")));
        p.add(point(base("pump_status_hc1", "Pump status HC1", SensorCategory.STATUS, "").type(DataType.UINT16),
                Device.CONTROLLER, Encoding.NUMBER, false, src("Hc1PumpStatus")));
        p.add(point(base("environmental_yield_total", "Environmental yield total", SensorCategory.ENERGY, "kWh")
                .type(DataType.UINT32), Device.CONTROLLER, Encoding.NUMBER, true,
                new Source("YieldTotal", null, 1, "not established on every controller (ebusd-configuration#624)")));

        // ---- heat-pump unit HMU (circuit hmu), fact sheet §5.2
        p.add(enumPoint("operating_state", "Operating state", Device.HEAT_PUMP, HMU_STATE,
                new Source("State", "state", 1, null), false, AccessMode.READ_ONLY));
        p.add(temp("temp_flow", "Flow temperature", Device.HEAT_PUMP, new Source("FlowTemp", null, 1, BROKEN_FLOW),
                new Source("RunDataFlowTemp", null, 1, NEWER_HMU)));
        p.add(temp("temp_flow_target", "Flow temperature target", Device.HEAT_PUMP, src("TargetFlowTemp")));
        p.add(temp("temp_return", "Return temperature", Device.HEAT_PUMP,
                new Source("RunDataReturnTemp", null, 1, NEWER_HMU + "; missing on aroTHERM 55/8.2")));
        p.add(temp("temp_air_intake", "Air intake temperature", Device.HEAT_PUMP,
                new Source("AirIntakeTemp", null, 1, "older HMUs"), new Source("RunDataAirInletTemp", null, 1,
                        NEWER_HMU)));
        p.add(point(base(ELECTRICAL_POWER, "Electrical power", SensorCategory.POWER, "W")
                .description("CurrentConsumedPower (0.1 kW resolution), else RunDataElectricPowerConsumption (W)"),
                Device.HEAT_PUMP, Encoding.NUMBER, false, new Source("CurrentConsumedPower", null, 1000, null),
                new Source("RunDataElectricPowerConsumption", null, 1, NEWER_HMU)));
        p.add(point(base(YIELD_POWER, "Environmental yield power", SensorCategory.POWER, "W")
                .description("CurrentYieldPower: heat taken from the environment, not the heat output"),
                Device.HEAT_PUMP, Encoding.NUMBER, false, new Source("CurrentYieldPower", null, 1000, null)));
        p.add(new Point(base(HEAT_OUTPUT, "Heat output", SensorCategory.POWER, "W")
                .description("Electrical power + environmental yield power, computed by the gateway (inferred: "
                        + "Vaillant does not document total heat output on eBUS)").build(),
                Device.HEAT_PUMP, Encoding.NUMBER, List.of(), false));
        p.add(point(base("compressor_modulation", "Compressor modulation", SensorCategory.PERCENT, "%"),
                Device.HEAT_PUMP, Encoding.NUMBER, false, src("CurrentCompressorUtil")));
        p.add(point(base("compressor_speed", "Compressor speed", SensorCategory.FREQUENCY, "rpm")
                .description("RunDataCompressorSpeed (rps) × 60"), Device.HEAT_PUMP, Encoding.NUMBER, false,
                new Source("RunDataCompressorSpeed", null, 60, NEWER_HMU)));
        p.add(point(base("compressor_starts", "Compressor starts", SensorCategory.COUNTER, "").type(DataType.UINT32),
                Device.HEAT_PUMP, Encoding.NUMBER, true, new Source("CompressorStarts", null, 1, STATS_PREFIX),
                new Source("RunStatsCompressorStarts", null, 1, STATS_PREFIX)));
        p.add(point(base("compressor_hours", "Compressor hours", SensorCategory.TIME, "h").type(DataType.UINT32),
                Device.HEAT_PUMP, Encoding.NUMBER, true, new Source("CompressorHours", null, 1, STATS_PREFIX),
                new Source("RunStatsCompressorHours", null, 1, STATS_PREFIX)));
        p.add(energy("yield_heating_total", "Heat yield heating total", new Source("YieldHc", null, 1, NO_COP)));
        p.add(energy("yield_hot_water_total", "Heat yield hot water total", new Source("YieldHwc", null, 1, NO_COP)));
        p.add(energy("yield_heating_today", "Heat yield heating today", new Source("YieldHcDay", null, 1, NO_COP)));
        p.add(energy("yield_hot_water_today", "Heat yield hot water today",
                new Source("YieldHwcDay", null, 1, NO_COP)));
        p.add(energy("electrical_energy_total", "Electrical energy total",
                new Source("ConsumptionTotal", null, 1, ENERGY)));
        p.add(vendorCop("vendor_cop_heating", "COP heating (Vaillant)", "CopHc"));
        p.add(vendorCop("vendor_cop_hot_water", "COP hot water (Vaillant)", "CopHwc"));
        p.add(vendorCop("vendor_cop_heating_month", "COP heating this month (Vaillant)", "CopHcMonth"));
        p.add(vendorCop("vendor_cop_hot_water_month", "COP hot water this month (Vaillant)", "CopHwcMonth"));
        p.add(point(base("status_code", "Status code", SensorCategory.STATUS, "").type(DataType.STRING),
                Device.HEAT_PUMP, Encoding.TEXT, false, new Source("RunDataStatuscode", null, 1, NEWER_HMU)));
        p.add(point(base("flow_rate", "Building circuit flow", SensorCategory.FLOW, "l/h"), Device.HEAT_PUMP,
                Encoding.NUMBER, false, src("BuildingCircuitFlow")));
        p.add(point(base("water_pressure", "Water pressure", SensorCategory.PRESSURE, "bar"), Device.HEAT_PUMP,
                Encoding.NUMBER, false, new Source("FlowPressure", null, 1, "answers ERR: invalid position on "
                        + "HMU HW5103 (ebusd-configuration#472)")));

        List<Point> numbered = new ArrayList<>();
        Map<String, Point> byId = new LinkedHashMap<>();
        for (int i = 0; i < p.size(); i++) {
            Point raw = p.get(i);
            SensorDefinition s = raw.sensor().toBuilder().address(i + 1)
                    .description(describe(raw)).build();
            Point numberedPoint = new Point(s, raw.device(), raw.encoding(), raw.sources(), raw.slow());
            if (byId.put(s.id(), numberedPoint) != null) {
                throw new IllegalStateException("duplicate sensor " + s.id());
            }
            numbered.add(numberedPoint);
        }
        POINTS = Collections.unmodifiableList(numbered);
        BY_ID = Collections.unmodifiableMap(byId);
    }

    private VaillantMessages() {
    }

    static List<Point> points() {
        return POINTS;
    }

    static List<SensorDefinition> sensors() {
        return POINTS.stream().map(Point::sensor).toList();
    }

    static Optional<Point> point(String sensorId) {
        return Optional.ofNullable(BY_ID.get(sensorId));
    }

    static boolean allowListed(SensorDefinition sensor) {
        return WRITE_ALLOW_LIST.contains(sensor.id()) && BY_ID.containsKey(sensor.id())
                && BY_ID.get(sensor.id()).device() == Device.CONTROLLER;
    }

    // ---------------------------------------------------------------- table helpers

    private static Source src(String message) {
        return new Source(message, null, 1, null);
    }

    private static SensorDefinition.Builder base(String id, String name, SensorCategory category, String unit) {
        return SensorDefinition.builder(id).name(name).category(category).unit(unit).type(DataType.FLOAT32)
                .access(AccessMode.READ_ONLY).kind(RegisterKind.VIRTUAL);
    }

    private static Point point(SensorDefinition.Builder b, Device device, Encoding encoding, boolean slow,
                               Source... sources) {
        return new Point(b.build(), device, encoding, List.of(sources), slow);
    }

    private static Point temp(String id, String name, Device device, Source... sources) {
        return point(base(id, name, SensorCategory.TEMPERATURE, "°C"), device, Encoding.NUMBER, false, sources);
    }

    private static Point energy(String id, String name, Source source) {
        return point(base(id, name, SensorCategory.ENERGY, "kWh"), Device.HEAT_PUMP, Encoding.NUMBER, true, source);
    }

    private static Point vendorCop(String id, String name, String message) {
        return point(base(id, name, SensorCategory.OTHER, "").flag(SensorFlag.ADVANCED), Device.HEAT_PUMP,
                Encoding.NUMBER, true, new Source(message, null, 1, NO_COP));
    }

    /** Zone setpoints: 5–30 °C in 0.5 steps, the quick-veto range of 15.ctlv2.tsp (the sheet gives no other). */
    private static Point roomSetpoint(String id, String name, String message, boolean baseSetpoint) {
        SensorDefinition.Builder b = base(id, name, SensorCategory.SETPOINT, "°C").access(AccessMode.READ_WRITE)
                .range(5, 30).step(0.5).zone(1);
        if (baseSetpoint) {
            b.flag(SensorFlag.EEPROM); // unknown endurance (fact sheet §6): write on change only
        }
        return point(b, Device.CONTROLLER, Encoding.NUMBER, false, src(message));
    }

    private static Point enumPoint(String id, String name, Device device, Map<Integer, String> labels, Source source,
                                   boolean slow, AccessMode access) {
        SensorDefinition.Builder b = base(id, name, access.writable() ? SensorCategory.MODE : SensorCategory.STATUS, "")
                .type(DataType.ENUM).enumValues(labels).access(access);
        if (access.writable()) {
            b.flag(SensorFlag.EEPROM);
        }
        return point(b, device, Encoding.ENUM, slow, source);
    }

    private static String describe(Point p) {
        if (p.derived()) {
            return p.sensor().description();
        }
        StringBuilder d = new StringBuilder("ebusd: read -c <")
                .append(p.device() == Device.CONTROLLER ? "controller" : "heat pump").append(" circuit> ");
        for (int i = 0; i < p.sources().size(); i++) {
            Source s = p.sources().get(i);
            d.append(i == 0 ? "" : " (else ").append(s.message()).append(s.field() == null ? "" : " " + s.field())
                    .append(i == 0 ? "" : ")");
        }
        if (!p.sensor().description().isEmpty()) {
            d.append(". ").append(p.sensor().description());
        }
        return d.toString();
    }

    private static Map<Integer, String> ordered(Object... pairs) {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((Integer) pairs[i], (String) pairs[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
