package gateway.driver.nibe.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.AnomalyFeatures;
import gateway.core.api.AnomalyProfile;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.CopSources;
import gateway.core.api.DashboardTemplate;
import gateway.core.api.DashboardTemplate.Chart;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceSession;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.HeatpumpCapabilities;
import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.OperatingMode;
import gateway.core.api.RegisterImport;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.api.SensorRole;
import gateway.core.modbus.ModbusDeviceProfile;
import gateway.core.modbus.ModbusDeviceSession;
import gateway.core.modbus.ModbusHeatpumpDriver;

/**
 * The NIBE S-series driver for one model; the DS components {@link NibeS1155Driver}, {@link NibeS1255Driver} and
 * {@link NibeS2125Driver} register one service per model.
 *
 * <p>A register export (device option {@value NibeRegisterExport#OPTION}) is <b>merged over</b> the built-in map:
 * built-in sensors keep their ids (dashboards, history and alerts refer to them) but take the export's type,
 * division factor and range where the export lists the same register, because the export describes the pump's
 * actual firmware; registers only in the export are added as {@code reg_input_<pdu>}/{@code reg_holding_<pdu>}
 * (flagged advanced). Built-in sensors the export does not mention stay.
 */
public abstract class NibeDriver extends ModbusHeatpumpDriver implements AnomalyProfile {

    private static final Logger LOG = LoggerFactory.getLogger(NibeDriver.class);

    private final NibeModel model;
    /** The last parsed export; device configs rarely change, and parsing 2000 lines on each poll plan is waste. */
    private volatile CachedExport cachedExport;

    private record CachedExport(String text, NibeRegisterExport.Result result) {
    }

    protected NibeDriver(NibeModel model) {
        super(model.identity());
        this.model = model;
    }

    public NibeModel model() {
        return model;
    }

    @Override
    public HeatpumpCapabilities capabilities(DeviceConfig deviceConfig) {
        return new HeatpumpCapabilities(true, true, true, false, false, false, true, true, model.climateSystems(), 0);
    }

    @Override
    public List<SensorDefinition> sensors(DeviceConfig deviceConfig) {
        List<SensorDefinition> builtIn = NibeRegisterMap.builtIn(model, deviceConfig);
        String text = deviceConfig.options().get(NibeRegisterExport.OPTION);
        if (text == null || text.isBlank()) {
            return builtIn;
        }
        return merge(builtIn, export(text).sensors());
    }

    NibeRegisterExport.Result export(String text) {
        CachedExport c = cachedExport;
        if (c != null && c.text().equals(text)) {
            return c.result();
        }
        NibeRegisterExport.Result r = NibeRegisterExport.parse(text);
        if (!r.errors().isEmpty()) {
            LOG.info("nibe {} register export: {} rows used, {} skipped (first: {})", model.id(), r.sensors().size(),
                    r.errors().size(), r.errors().get(0));
        }
        cachedExport = new CachedExport(text, r);
        return r;
    }

    @Override
    public Optional<RegisterImport> importRegisters(String text) {
        NibeRegisterExport.Result r = export(text == null ? "" : text);
        return Optional.of(new RegisterImport(r.sensors().size(), r.errors().stream()
                .map(e -> new RegisterImport.LineError(e.line(), e.message())).toList()));
    }

    /** See the class comment: the export's decoding wins, built-in ids and meaning stay. */
    static List<SensorDefinition> merge(List<SensorDefinition> builtIn, List<SensorDefinition> exported) {
        Map<String, SensorDefinition> byRegister = new LinkedHashMap<>();
        for (SensorDefinition e : exported) {
            byRegister.put(NibeRegisterExport.sensorId(e.registerKind(), e.address()), e);
        }
        List<SensorDefinition> out = new ArrayList<>(builtIn.size() + exported.size());
        for (SensorDefinition b : builtIn) {
            SensorDefinition e = byRegister.remove(NibeRegisterExport.sensorId(b.registerKind(), b.address()));
            if (e == null) {
                out.add(b);
                continue;
            }
            SensorDefinition.Builder m = b.toBuilder().type(e.dataType()).scale(e.scale()).clearInvalid()
                    .invalid(NibeRegisterMap.sentinels(e.dataType()));
            if (!e.unit().isEmpty()) {
                m.unit(e.unit());
            }
            if (e.min() != null) {
                m.range(e.min(), e.max());
            }
            if (b.writable()) {
                m.step(e.scale());
            }
            out.add(m.build());
        }
        out.addAll(byRegister.values());
        return List.copyOf(out);
    }

    @Override
    public List<String> validate(DeviceConfig deviceConfig) {
        List<String> problems = new ArrayList<>();
        for (String c : deviceConfig.circuits()) {
            if (!model.climateSystems().contains(c)) {
                problems.add("NIBE " + model.id() + " has no climate system '" + c + "'; supported: "
                        + String.join(", ", model.climateSystems()));
            }
        }
        if (!deviceConfig.zones().isEmpty()) {
            problems.add("NIBE " + model.id() + " has no zone modules; remove zones " + deviceConfig.zones());
        }
        try {
            NibeRegisterMap.profile(deviceConfig.options());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        String text = deviceConfig.options().get(NibeRegisterExport.OPTION);
        if (text != null && !text.isBlank()) {
            NibeRegisterExport.Result r = export(text);
            if (r.sensors().isEmpty()) {
                problems.add("register export has no usable rows"
                        + (r.errors().isEmpty() ? "" : " (" + r.errors().get(0) + ")"));
            }
        }
        return problems;
    }

    @Override
    public DeviceSession open(ConnectionConfig connection, DeviceConfig deviceConfig) throws DeviceException {
        return new ModbusDeviceSession(connection, profile(connection, deviceConfig));
    }

    /** Connection options override device options, so a word order can be fixed per endpoint. */
    ModbusDeviceProfile profile(ConnectionConfig connection, DeviceConfig deviceConfig) throws DeviceException {
        Map<String, String> options = new LinkedHashMap<>(deviceConfig.options());
        options.putAll(connection.options());
        try {
            return NibeRegisterMap.profile(options);
        } catch (IllegalArgumentException e) {
            throw new DeviceException("NIBE connection options: " + e.getMessage(), e);
        }
    }

    /** Throws when {@link #validate} finds problems (for callers that prefer an exception). */
    public void check(DeviceConfig deviceConfig) throws InvalidConfigurationException {
        List<String> problems = validate(deviceConfig);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    /**
     * Anomaly features: outdoor, supply and return, hot water, the refrigerant circuit (discharge, suction, liquid),
     * compressor frequency and power, heat output; only those this model and configuration have.
     */
    @Override
    public AnomalyFeatures anomalyFeatures(DeviceConfig deviceConfig) {
        java.util.Set<String> present = new java.util.HashSet<>();
        sensors(deviceConfig).forEach(s -> present.add(s.id()));
        String flow = present.contains("temp_supply_circuit_1") ? "temp_supply_circuit_1"
                : present.contains("temp_unit_supply") ? "temp_unit_supply" : null;
        List<String> features = new ArrayList<>();
        for (String id : new String[] {"temp_outdoor", flow, "temp_return", "temp_hot_water_top", "temp_discharge",
                "temp_suction_gas", "temp_liquid_line", "compressor_freq_current", "compressor_power_input",
                "power_heating_generated"}) {
            if (id != null && present.contains(id)) {
                features.add(id);
            }
        }
        // compressor_power is in kW (S2125); compressor_power_input is in W and would give a COP 1000 times off
        String electrical = present.contains("compressor_power") ? "compressor_power" : null;
        return new AnomalyFeatures(features, flow, "temp_return",
                present.contains("power_heating_generated") ? "power_heating_generated" : null, electrical);
    }

    /** From "priority" (10 off, 20 hot water, 30 heat, 40 pool, 60 cooling) and, on the S2125, "defrosting". */
    @Override
    public OperatingMode operatingMode(DeviceSnapshot snapshot) {
        SensorReading defrost = snapshot.reading("defrosting");
        if (defrost != null && defrost.good() && defrost.value() != null && defrost.value() == 1) {
            return OperatingMode.DEFROST;
        }
        SensorReading p = snapshot.reading("priority");
        if (p == null || !p.good() || p.value() == null) {
            return OperatingMode.UNKNOWN;
        }
        return switch ((int) Math.round(p.value())) {
            case 10 -> OperatingMode.STANDBY;
            case 20 -> OperatingMode.HOT_WATER;
            case 30 -> OperatingMode.HEATING;
            case 60 -> OperatingMode.COOLING;
            default -> OperatingMode.UNKNOWN; // pool heating: not modelled
        };
    }

    @Override
    public DashboardTemplate dashboardTemplate(DeviceConfig deviceConfig) {
        boolean ground = model.groundSource();
        List<Chart> charts = new ArrayList<>();
        charts.add(new Chart("Temperatures", "line",
                List.of("temp_outdoor", "temp_supply_circuit_1", "temp_supply_calculated_circuit_1", "temp_return"), 24));
        charts.add(new Chart("Hot water", "line", List.of("temp_hot_water_top", "temp_hot_water_charging"), 24));
        charts.add(ground
                ? new Chart("Brine", "line", List.of("temp_brine_in", "temp_brine_out"), 24)
                : new Chart("Outdoor unit", "line", List.of("temp_unit_outdoor", "temp_unit_supply", "temp_unit_return"), 24));
        charts.add(new Chart("Compressor", "line", List.of("compressor_freq_current"), 24));
        charts.add(new Chart("Degree minutes", "line", List.of("degree_minutes"), 24));
        charts.add(new Chart("Energy", "bar", List.of("energy_produced_total", "energy_consumed_total"), 168));
        charts.add(new Chart("State", "state", List.of("priority", "operating_mode", "hot_water_demand_mode", "sg_ready_mode"), 0));
        charts.add(new Chart("Alarms", "stat", List.of("alarm_number", "alarm_class1"), 0));
        return new DashboardTemplate(model.displayName(), charts);
    }

    @Override
    public String setupInstructions() {
        return """
                ## Enable Modbus TCP on a %s

                1. On the pump's display open **menu 7.5.9 "Modbus TCP/IP"** and switch it **on**. With it off, port
                   502 refuses connections.
                2. Connect the pump to your **local network** (cable). It answers on the LAN only; the cloud
                   (myUplink) and port forwarding do not work for Modbus.
                3. Give the pump a fixed IP address (DHCP reservation in your router).
                4. In the gateway add the device with that address, **port 502**, **unit id 1** (0 is reported to
                   work too).

                Sensor values are input registers (FC04), settings holding registers (FC03 read, FC16 write); the
                pump has no coils. Register numbers are raw addresses as in NIBE's export; ids such as 30002/40012
                from other tools are converted (minus 30001 / 40001).

                32-bit values are read low word first and written high word first (reported on hardware, not
                confirmed by NIBE). If degree minutes or energy meters look wrong, set the connection options
                `word_order_read` / `word_order_write` to `low_word_first` or `high_word_first`.

                Registers differ between models and firmware versions. For an exact map, export the pump's own
                Modbus register list (USB stick or myUplink "Modbus list", tab-separated) and upload it to the
                device: it is merged over the built-in map.
                """.formatted(model.displayName());
    }

    /**
     * Generated heating power (EB101 406, kW; S2125: EB100 941) over compressor power input (1048, W; S2125: 1806,
     * kW), both integrated over the poll times (fact sheet; the energy logs there are per hour, not counters).
     */
    @Override
    public Optional<CopSources> copSources(DeviceConfig deviceConfig) {
        return Optional.of(new CopSources("power_heating_generated",
                model == NibeModel.S2125 ? "compressor_power" : "compressor_power_input", null, null));
    }

    /**
     * Alert-template roles: BT1 outdoor, BT2 supply of climate system 1, BT3 return, BT7 hot water top, alarm number
     * (0 = no alarm). NIBE exposes no utility-lock input over Modbus here.
     */
    @Override
    public Map<SensorRole, String> sensorRoles(DeviceConfig deviceConfig) {
        return Map.of(SensorRole.OUTDOOR_TEMPERATURE, "temp_outdoor",
                SensorRole.FLOW_TEMPERATURE, "temp_supply_circuit_1",
                SensorRole.RETURN_TEMPERATURE, "temp_return",
                SensorRole.HOT_WATER_TEMPERATURE, "temp_hot_water_top",
                SensorRole.COMMON_FAULT, "alarm_number");
    }
}
