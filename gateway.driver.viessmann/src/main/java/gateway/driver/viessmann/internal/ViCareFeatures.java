package gateway.driver.viessmann.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import gateway.core.api.AccessMode;
import gateway.core.api.DataType;
import gateway.core.api.DeviceConfig;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;

/**
 * The ViCare features this driver reads, one row per sensor: which feature (first one present wins: E3/One Base and
 * older Vitotronic devices name some features differently), which property, and for writable ones which of the
 * feature's own commands and parameter carry a write. Names and example constraints from the fact sheet §4/§5 and the
 * real dumps of a Vitocal 200-S and 222-S.
 */
final class ViCareFeatures {

    /** Heating circuits of a ViCare device are numbered 0..3 ({@code heating.circuits.N}). */
    static final List<String> CIRCUITS = List.of("0", "1", "2", "3");

    /** How a write reaches the device. */
    enum WriteKind {
        /** No write. */
        NONE,
        /** {@code command {param: number}}. */
        NUMBER,
        /** {@code command {param: label}} with the label of the enum value. */
        ENUM,
        /** 1 → command {@code activate}, 0 → {@code deactivate}, both without parameters. */
        SWITCH
    }

    /**
     * One sensor.
     *
     * @param features  candidate feature names, the first present in the device's feature list is used
     * @param property  property whose {@code value} is the reading ({@code entries} counts list entries)
     * @param labels    for string properties: enum code = index in this list
     */
    record Point(SensorDefinition sensor, List<String> features, String property, WriteKind write, String command,
                 String param, List<String> labels) {

        Point {
            features = List.copyOf(features);
            labels = List.copyOf(labels);
        }

        /** The code of a label, or -1 when the device sent a label this table does not know. */
        int code(String label) {
            return labels.indexOf(label);
        }
    }

    /** Circuit operating modes seen in the dumps (250-A: heating/standby; 200-S: standby/dhw/dhwAndHeating). */
    static final List<String> CIRCUIT_MODES = List.of("standby", "heating", "dhw", "dhwAndHeating", "heatingCooling",
            "dhwAndHeatingCooling", "cooling", "normalStandby");
    /** DHW modes (250-A: efficientWithMinComfort, efficient, off; 222-S adds comfort, eco). */
    static final List<String> DHW_MODES = List.of("off", "efficient", "efficientWithMinComfort", "comfort", "eco");
    /** Active circuit programs (E3 names, then the older Vitotronic names). */
    static final List<String> PROGRAMS = List.of("standby", "normalHeating", "reducedHeating", "comfortHeating",
            "normalCooling", "reducedCooling", "comfortCooling", "normalEnergySaving", "reducedEnergySaving",
            "comfortEnergySaving", "summerEco", "frostprotection", "fixed", "forcedLastFromSchedule", "normal",
            "reduced", "comfort", "eco", "holiday", "holidayAtHome");
    /** Compressor phases ({@code heating.compressors.0} {@code phase}). */
    static final List<String> COMPRESSOR_PHASES = List.of("off", "preparing", "not-ready", "ready");

    private static final List<Point> DEVICE = new ArrayList<>();
    private static final List<Point> PER_CIRCUIT = new ArrayList<>();

    static {
        // ---- temperatures
        read("outdoor_temperature", "Outdoor temperature", SensorCategory.TEMPERATURE, "°C",
                "value", "heating.sensors.temperature.outside");
        read("supply_temperature", "Supply (flow) temperature", SensorCategory.TEMPERATURE, "°C",
                "value", "heating.secondaryCircuit.sensors.temperature.supply",
                "heating.boiler.sensors.temperature.commonSupply");
        read("return_temperature", "Return temperature", SensorCategory.TEMPERATURE, "°C",
                "value", "heating.sensors.temperature.return", "heating.secondaryCircuit.sensors.temperature.return");
        read("source_supply_temperature", "Primary circuit (source) supply", SensorCategory.TEMPERATURE, "°C",
                "value", "heating.primaryCircuit.sensors.temperature.supply");
        read("source_return_temperature", "Primary circuit (source) return", SensorCategory.TEMPERATURE, "°C",
                "value", "heating.primaryCircuit.sensors.temperature.return");
        // E3 devices name the cylinder sensor dhwCylinder; older ones hotWaterStorage (both in the 222-S dump)
        read("dhw_temperature", "Hot water temperature", SensorCategory.TEMPERATURE, "°C",
                "value", "heating.dhw.sensors.temperature.dhwCylinder",
                "heating.dhw.sensors.temperature.hotWaterStorage");
        // 250-A: 10..60 step 1; 222-S: the same. The live constraints of the device are checked again on write.
        write(def("dhw_target_temperature", "Hot water target", SensorCategory.SETPOINT, "°C", DataType.FLOAT32)
                        .range(10, 60).step(1.0)
                        .description("Written with the feature's setTargetTemperature; the device's own "
                                + "min/max/stepping apply").build(),
                "value", WriteKind.NUMBER, "setTargetTemperature", "temperature", List.of(),
                "heating.dhw.temperature.main");
        enumPoint("dhw_mode", "Hot water mode", DHW_MODES, true, "setMode", "mode",
                "heating.dhw.operating.modes.active");
        write(def("dhw_one_time_charge", "Hot water one-time charge", SensorCategory.CONTROL, "", DataType.BOOL)
                        .range(0, 1).enumValue(0, "off").enumValue(1, "on")
                        .description("1 starts a one-time charge (activate), 0 stops it (deactivate)").build(),
                "active", WriteKind.SWITCH, "activate", null, List.of(), "heating.dhw.oneTimeCharge");

        // ---- compressor
        read(def("compressor_active", "Compressor running", SensorCategory.BINARY, "", DataType.BOOL)
                .enumValue(0, "off").enumValue(1, "on").build(), "active", List.of(), "heating.compressors.0");
        read(enumDef("compressor_phase", "Compressor phase", COMPRESSOR_PHASES, false).build(), "phase",
                COMPRESSOR_PHASES, "heating.compressors.0");
        // the fact sheet: the unit is revolutionsPerSecond (Hz); the API has no percent modulation for heat pumps
        read("compressor_speed", "Compressor speed (modulation)", SensorCategory.FREQUENCY, "Hz",
                "value", "heating.compressors.0.speed.current");
        read("compressor_hours", "Compressor hours", SensorCategory.TIME, "h", "hours",
                "heating.compressors.0.statistics");
        read(def("compressor_starts", "Compressor starts", SensorCategory.COUNTER, "", DataType.UINT32).build(),
                "starts", List.of(), "heating.compressors.0.statistics");

        // ---- power and energy (no lifetime counter exists: only day/month/year summaries)
        read("electrical_power", "Electrical power", SensorCategory.POWER, "W", "value",
                "heating.inverters.0.sensors.power.current", "heating.compressors.0.power.consumption.current");
        read("heat_output", "Heat output", SensorCategory.POWER, "W", "value",
                "heating.compressors.0.heat.production.current");
        for (String use : List.of("heating", "dhw")) {
            String label = use.equals("dhw") ? "hot water" : "heating";
            read("electrical_energy_" + use + "_day", "Electrical energy " + label + " today",
                    SensorCategory.ENERGY, "kWh", "currentDay", "heating.power.consumption.summary." + use);
            read("electrical_energy_" + use + "_month", "Electrical energy " + label + " this month",
                    SensorCategory.ENERGY, "kWh", "currentMonth", "heating.power.consumption.summary." + use);
            read("heat_energy_" + use + "_day", "Heat energy " + label + " today",
                    SensorCategory.ENERGY, "kWh", "currentDay", "heating.heat.production.summary." + use);
            read("heat_energy_" + use + "_month", "Heat energy " + label + " this month",
                    SensorCategory.ENERGY, "kWh", "currentMonth", "heating.heat.production.summary." + use);
        }
        read("spf_total", "Seasonal performance factor (vendor)", SensorCategory.OTHER, "", "value",
                "heating.spf.total", "heating.scop.total");
        read("pressure_supply", "Supply pressure", SensorCategory.PRESSURE, "bar", "value",
                "heating.sensors.pressure.supply");
        read("volumetric_flow", "Volumetric flow", SensorCategory.FLOW, "l/h", "value",
                "heating.sensors.volumetricFlow.allengra");
        // a live fault list (HA#129567: parse entries); its size is the fault indication
        read(def("active_errors", "Active error messages", SensorCategory.ALARM, "", DataType.UINT16).build(),
                "entries", List.of(), "device.messages.errors.raw");

        // ---- per circuit ({c} = circuit number)
        circuit(def("supply_temperature", "supply temperature", SensorCategory.TEMPERATURE, "°C",
                DataType.FLOAT32).build(), "value", WriteKind.NONE, null, null, List.of(),
                "heating.circuits.{c}.sensors.temperature.supply");
        circuit(def("room_temperature", "room temperature", SensorCategory.TEMPERATURE, "°C",
                DataType.FLOAT32).build(), "value", WriteKind.NONE, null, null, List.of(),
                "heating.circuits.{c}.sensors.temperature.room");
        circuit(enumDef("operating_mode", "operating mode", CIRCUIT_MODES, true).build(), "value",
                WriteKind.ENUM, "setMode", "mode", CIRCUIT_MODES, "heating.circuits.{c}.operating.modes.active");
        circuit(enumDef("active_program", "active program", PROGRAMS, false).build(), "value",
                WriteKind.NONE, null, null, PROGRAMS, "heating.circuits.{c}.operating.programs.active");
        // E3: normalHeating/reducedHeating/comfortHeating 3..37; older: normal/reduced/comfort 10..30 (step 1)
        for (String[] p : new String[][] {{"normal", "normal"}, {"reduced", "reduced"}, {"comfort", "comfort"}}) {
            circuit(def("room_setpoint_" + p[0], p[1] + " room setpoint", SensorCategory.SETPOINT, "°C",
                            DataType.FLOAT32).access(AccessMode.READ_WRITE).range(3, 37).step(1.0)
                            .description("Written with the program's setTemperature; the device's own range "
                                    + "applies (E3 3–37 °C, older 10–30 °C)").build(),
                    "temperature", WriteKind.NUMBER, "setTemperature", "targetTemperature", List.of(),
                    "heating.circuits.{c}.operating.programs." + p[0] + "Heating",
                    "heating.circuits.{c}.operating.programs." + p[0]);
        }
    }

    private ViCareFeatures() {
    }

    private static SensorDefinition.Builder def(String id, String name, SensorCategory category, String unit,
                                                DataType type) {
        return SensorDefinition.builder(id).name(name).category(category).unit(unit).type(type)
                .kind(RegisterKind.VIRTUAL).address(DEVICE.size() + PER_CIRCUIT.size());
    }

    private static SensorDefinition.Builder enumDef(String id, String name, List<String> labels, boolean writable) {
        SensorDefinition.Builder b = def(id, name, SensorCategory.MODE, "", DataType.ENUM)
                .access(writable ? AccessMode.READ_WRITE : AccessMode.READ_ONLY);
        for (int i = 0; i < labels.size(); i++) {
            b.enumValue(i, labels.get(i));
        }
        if (writable) {
            b.range(0, labels.size() - 1).description("Only the modes the device's setMode offers are accepted");
        }
        return b;
    }

    private static void read(String id, String name, SensorCategory category, String unit, String property,
                             String... features) {
        read(def(id, name, category, unit, DataType.FLOAT32).build(), property, List.of(), features);
    }

    private static void read(SensorDefinition sensor, String property, List<String> labels, String... features) {
        DEVICE.add(new Point(sensor, List.of(features), property, WriteKind.NONE, null, null, labels));
    }

    private static void write(SensorDefinition sensor, String property, WriteKind kind, String command, String param,
                              List<String> labels, String... features) {
        SensorDefinition rw = sensor.toBuilder().access(AccessMode.READ_WRITE).build();
        DEVICE.add(new Point(rw, List.of(features), property, kind, command, param, labels));
    }

    private static void enumPoint(String id, String name, List<String> labels, boolean writable, String command,
                                  String param, String... features) {
        DEVICE.add(new Point(enumDef(id, name, labels, writable).build(), List.of(features), "value",
                WriteKind.ENUM, command, param, labels));
    }

    private static void circuit(SensorDefinition template, String property, WriteKind kind, String command,
                                String param, List<String> labels, String... features) {
        PER_CIRCUIT.add(new Point(template, List.of(features), property, kind, command, param, labels));
    }

    /** The circuits a configuration names, or circuit 0 when it names none (every ViCare heat pump has it). */
    static List<String> circuits(DeviceConfig config) {
        return config == null || config.circuits().isEmpty() ? List.of("0") : config.circuits();
    }

    /** Every point of a configuration, circuit templates expanded to {@code circuitN_…}. */
    static List<Point> points(DeviceConfig config) {
        List<Point> out = new ArrayList<>(DEVICE);
        for (String c : circuits(config)) {
            for (Point t : PER_CIRCUIT) {
                SensorDefinition s = t.sensor().toBuilder().id("circuit" + c + "_" + t.sensor().id())
                        .name("Circuit " + c + " " + t.sensor().name()).circuit(c).build();
                out.add(new Point(s, t.features().stream().map(f -> f.replace("{c}", c)).toList(), t.property(),
                        t.write(), t.command(), t.param(), t.labels()));
            }
        }
        return out;
    }

    static List<SensorDefinition> sensors(DeviceConfig config) {
        return points(config).stream().map(Point::sensor).toList();
    }

    static Map<String, Point> byId(DeviceConfig config) {
        Map<String, Point> out = new LinkedHashMap<>();
        points(config).forEach(p -> out.put(p.sensor().id(), p));
        return out;
    }

    static Optional<Point> point(DeviceConfig config, String sensorId) {
        return Optional.ofNullable(byId(config).get(sensorId));
    }
}
