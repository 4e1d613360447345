package gateway.driver.luxtronik.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;

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
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.OperatingMode;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.api.SensorRole;

/** Luxtronik 2.0/2.1 controllers (Alpha Innotec, Novelan, Roth, Buderus HMC20, Wolf, Elco…) over TCP 8889. */
@Component(service = HeatpumpDriver.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + LuxtronikDriver.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=" + LuxtronikDriver.MODEL_ID})
public final class LuxtronikDriver implements HeatpumpDriver, AnomalyProfile {

    /** Contract ids: stored with every configured device. */
    public static final String MANUFACTURER_ID = "luxtronik";
    public static final String MODEL_ID = "luxtronik_2_1";
    public static final int DEFAULT_PORT = 8889;

    /** Device option: report sensors whose function the controller's visibilities mark absent as "not fitted". */
    public static final String OPTION_HIDE_INVISIBLE = "hide_invisible";
    /** Connection option: bound on one whole request/reply in ms (default max(10 s, 3 × timeout)). */
    public static final String OPTION_EXCHANGE_TIMEOUT = "exchange_timeout_ms";

    @Override
    public String manufacturerId() {
        return MANUFACTURER_ID;
    }

    @Override
    public String manufacturerName() {
        return "Luxtronik (Alpha Innotec, Novelan, Roth, Buderus, Wolf, Elco)";
    }

    @Override
    public String modelId() {
        return MODEL_ID;
    }

    @Override
    public String modelName() {
        return "Luxtronik 2.0 / 2.1";
    }

    @Override
    public String protocol() {
        return "luxtronik";
    }

    @Override
    public int defaultPort() {
        return DEFAULT_PORT;
    }

    /** Firmware V2.88.1 crashes when polled too often (fact sheet §7): 30 s at the least, 60 s by default. */
    @Override
    public int minPollIntervalSeconds() {
        return 30;
    }

    @Override
    public int defaultPollIntervalSeconds() {
        return 60;
    }

    /** What a Luxtronik can have; which of it a given controller has is known only from its visibilities. */
    @Override
    public HeatpumpCapabilities capabilities(DeviceConfig deviceConfig) {
        return new HeatpumpCapabilities(true, true, true, true, true, false, false, true, List.of(), 0);
    }

    @Override
    public List<SensorDefinition> sensors(DeviceConfig deviceConfig) {
        return LuxtronikMap.sensors();
    }

    @Override
    public List<String> validate(DeviceConfig deviceConfig) {
        List<String> problems = new ArrayList<>();
        if (!deviceConfig.circuits().isEmpty()) {
            problems.add("Luxtronik has no configurable heating circuits; mixing circuits MK1–MK3 are detected from "
                    + "the controller (remove " + deviceConfig.circuits() + ")");
        }
        if (!deviceConfig.zones().isEmpty()) {
            problems.add("Luxtronik has no zone modules (remove zones " + deviceConfig.zones() + ")");
        }
        String hide = deviceConfig.options().get(OPTION_HIDE_INVISIBLE);
        if (hide != null && !hide.equalsIgnoreCase("true") && !hide.equalsIgnoreCase("false")) {
            problems.add(OPTION_HIDE_INVISIBLE + " must be true or false, not '" + hide + "'");
        }
        return problems;
    }

    @Override
    public DeviceSession open(ConnectionConfig connection, DeviceConfig deviceConfig) throws DeviceException {
        int timeout = connection.timeoutMs();
        int exchangeTimeout;
        try {
            exchangeTimeout = Integer.parseInt(connection.option(OPTION_EXCHANGE_TIMEOUT,
                    String.valueOf(Math.max(10_000, 3 * timeout))));
        } catch (NumberFormatException e) {
            exchangeTimeout = Math.max(10_000, 3 * timeout);
        }
        int port = connection.port() > 0 ? connection.port() : DEFAULT_PORT;
        LuxtronikClient client = new LuxtronikClient(connection.host(), port, timeout, timeout, exchangeTimeout);
        DeviceConfig config = deviceConfig == null ? DeviceConfig.empty() : deviceConfig;
        boolean hide = !"false".equalsIgnoreCase(config.options().getOrDefault(OPTION_HIDE_INVISIBLE, "true"));
        return new LuxtronikSession(client, hide, LuxtronikSession.DEFAULT_SLOW_EVERY_POLLS,
                LuxtronikSession.DEFAULT_SLOW_MAX_AGE);
    }

    /**
     * Refuses every parameter write when the latest snapshot shows firmware *.90.*, which reboots on writes. The
     * session checks again against the firmware it read itself.
     */
    @Override
    public Optional<String> refuseWrite(SensorDefinition sensor, double value, DeviceSnapshot latest) {
        if (sensor.registerKind() != RegisterKind.PARAMETER || !LuxtronikMap.allowListed(sensor)) {
            return Optional.of(sensor.id() + " is not on the Luxtronik write allow-list");
        }
        if (latest == null) {
            return Optional.empty();
        }
        SensorReading fw = latest.reading(LuxtronikMap.FIRMWARE);
        if (fw != null && LuxtronikDecoder.firmwareRebootsOnWrite(fw.text())) {
            return Optional.of(LuxtronikDecoder.writeRefusalForFirmware(fw.text()));
        }
        return Optional.empty();
    }

    /**
     * Anomaly features: outdoor, flow and return, hot gas, hot water, heat source in and out, heat output and
     * electrical power (both in W, so their ratio is the COP).
     */
    @Override
    public AnomalyFeatures anomalyFeatures(DeviceConfig deviceConfig) {
        java.util.Set<String> present = new java.util.HashSet<>();
        sensors(deviceConfig).forEach(s -> present.add(s.id()));
        List<String> features = new ArrayList<>();
        for (String id : new String[] {"temp_outdoor", "temp_flow", "temp_return", "temp_hot_gas", "temp_hot_water",
                "temp_source_in", "temp_source_out", "heat_output", "electrical_power"}) {
            if (present.contains(id)) {
                features.add(id);
            }
        }
        return new AnomalyFeatures(features, "temp_flow", "temp_return",
                present.contains("heat_output") ? "heat_output" : null,
                present.contains("electrical_power") ? "electrical_power" : null);
    }

    /** From calculation 80 (0 heating, 1 hot water, 3 utility lock, 4 defrost, 5 no request, 7 cooling). */
    @Override
    public OperatingMode operatingMode(DeviceSnapshot snapshot) {
        SensorReading r = snapshot.reading("operating_state");
        if (r == null || !r.good() || r.value() == null) {
            return OperatingMode.UNKNOWN;
        }
        return switch ((int) Math.round(r.value())) {
            case 0 -> OperatingMode.HEATING;
            case 1 -> OperatingMode.HOT_WATER;
            case 3, 5 -> OperatingMode.STANDBY;
            case 4 -> OperatingMode.DEFROST;
            case 7 -> OperatingMode.COOLING;
            default -> OperatingMode.UNKNOWN; // pool/solar, external source: not modelled
        };
    }

    @Override
    public DashboardTemplate dashboardTemplate(DeviceConfig deviceConfig) {
        return new DashboardTemplate("Luxtronik", List.of(
                new Chart("Temperatures", "line", List.of("temp_outdoor", "temp_flow", "temp_return",
                        "temp_return_target", "temp_hot_water", "temp_hot_water_target"), 24),
                new Chart("Heat source", "line", List.of("temp_source_in", "temp_source_out"), 24),
                new Chart("State", "state", List.of("operating_state", "status_line_1", "status_line_3",
                        "heating_mode", "hot_water_mode"), 24),
                new Chart("Outputs", "state", List.of("output_compressor1", "output_heating_pump", "output_dhw_pump",
                        "output_second_heater1"), 24),
                new Chart("Heat quantities", "stat", List.of("heat_quantity_heating", "heat_quantity_hot_water",
                        "heat_quantity_total"), 24),
                new Chart("Compressor", "stat", List.of("runtime_compressor1", "starts_compressor1",
                        "runtime_heatpump"), 24),
                new Chart("Setpoints", "table", List.of("heating_curve_offset", "hot_water_target",
                        "heating_curve_end_point", "heating_curve_parallel_shift"), 0),
                new Chart("Errors", "table", List.of("error0_code", "error0_time", "firmware_version"), 0)));
    }

    @Override
    public String setupInstructions() {
        return """
                ## Luxtronik 2.0 / 2.1 (Alpha Innotec, Novelan, Roth, Buderus HMC20, Wolf, Elco…)

                The gateway speaks the controller's own binary protocol on plain TCP (no password, no TLS).

                1. Connect the controller to your network and note its IP address (from the controller's display
                   or your router's DHCP list). A fixed address is best: some controllers refuse connections after
                   a DHCP address change until they are restarted.
                2. On the display, make sure network access ("Webserver") is enabled; the menu differs between
                   firmware versions. Without it the controller refuses connections.
                3. Port: **8889** for firmware V1.73 and newer, **8888** for older firmware. "Connection refused"
                   on 8889 usually means older firmware (try 8888) or that network access is switched off.
                4. The firmware version (e.g. V3.88.1) is shown as the sensor *Firmware version* after the first poll.
                   - **V1.90.0 and V2.90.0 reboot on every parameter write** and then stay off the network for 1–2
                     minutes. The gateway refuses writes on any *.90.* firmware; reading is unaffected.
                   - V2.88.1 is known to crash when polled or written too often: keep the poll interval at 60 s
                     (30 s is the minimum the gateway allows).
                5. **One client at a time.** The controller serves a single client well. The vendor's app, a
                   home-automation integration or a second gateway compete with this one and can make it hang
                   until it is power-cycled. The gateway opens the connection only for the moment of each poll and
                   never overlaps a read and a write; run no other polling client against the same controller.
                6. Writes are limited to a small allow-list (heating and hot water modes, hot water target,
                   heating curve correction, end points and parallel shifts, cooling mode and release
                   temperature), each with a range check. After a write the gateway waits at least 1 s before
                   talking to the controller again, so it can recalculate.

                Functions the controller does not have (pool, cooling, ventilation, mixing circuits) are shown as
                "not fitted", based on the controller's own visibility table. Set the device option
                `hide_invisible=false` to show their raw values anyway. Luxtronik has no configurable circuits or
                zones in the gateway.
                """;
    }

    /** Heat output (calculation 257, W) over electrical power input (268, W), integrated over the poll times. */
    @Override
    public Optional<CopSources> copSources(DeviceConfig deviceConfig) {
        return Optional.of(new CopSources("heat_output", "electrical_power", null, null));
    }

    /**
     * Alert-template roles: TA, TVL, TRL, TBW and the EVU input. No common fault: the Luxtronik error list is a
     * history (error0_code keeps the last fault after it cleared), not a live signal.
     */
    @Override
    public Map<SensorRole, String> sensorRoles(DeviceConfig deviceConfig) {
        return Map.of(SensorRole.OUTDOOR_TEMPERATURE, "temp_outdoor",
                SensorRole.FLOW_TEMPERATURE, "temp_flow",
                SensorRole.RETURN_TEMPERATURE, "temp_return",
                SensorRole.HOT_WATER_TEMPERATURE, "temp_hot_water",
                SensorRole.UTILITY_LOCK, "input_evu");
    }
}
