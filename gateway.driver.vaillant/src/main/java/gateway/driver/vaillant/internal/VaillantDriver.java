package gateway.driver.vaillant.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.api.SensorRole;
import gateway.driver.vaillant.internal.VaillantMessages.Device;

/**
 * Vaillant aroTHERM / aroTHERM plus with a VRC 720 (sensoCOMFORT) or VRC 700 (multiMATIC) controller, read through
 * an ebusd daemon's TCP command port. Vaillant offers no local API of its own (fact sheet §1): the only local route is
 * the eBUS, a third-party adapter and ebusd with community-maintained message definitions.
 */
@Component(service = HeatpumpDriver.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + VaillantDriver.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=" + VaillantDriver.MODEL_ID})
public final class VaillantDriver implements HeatpumpDriver, AnomalyProfile {

    /** Contract ids (issue 17): stored with every configured device. */
    public static final String MANUFACTURER_ID = "vaillant";
    public static final String MODEL_ID = "arotherm";

    /** Option: ebusd circuit of the heat-pump unit (eBUS address 08: {@code hmu}). */
    public static final String OPTION_HEATPUMP_CIRCUIT = "heatpump_circuit";
    /** Option: ebusd circuit of the system controller ({@code ctlv2}/{@code ctlv3} for VRC 720, {@code 700}). */
    public static final String OPTION_CONTROLLER_CIRCUIT = "controller_circuit";
    /** Option: ebusd may answer from its cache when its value is younger than this many seconds. */
    public static final String OPTION_MAX_AGE = "max_age";
    /** Option: seconds between reads of slow values (energy, counters, COP, curve and limits). */
    public static final String OPTION_SLOW_MAX_AGE = "slow_max_age";

    static final String DEFAULT_HEATPUMP_CIRCUIT = "hmu";
    static final String DEFAULT_CONTROLLER_CIRCUIT = "ctlv2";
    /** Fact sheet §7: a small set every 30–60 s, slow values every 5–15 min. */
    static final int DEFAULT_MAX_AGE_SECONDS = 30;
    static final int DEFAULT_SLOW_MAX_AGE_SECONDS = 600;
    static final int MAX_AGE_LIMIT_SECONDS = 86_400;

    @Override
    public String manufacturerId() {
        return MANUFACTURER_ID;
    }

    @Override
    public String manufacturerName() {
        return "Vaillant";
    }

    @Override
    public String modelId() {
        return MODEL_ID;
    }

    @Override
    public String modelName() {
        return "aroTHERM / aroTHERM plus (VRC 700/720, through ebusd)";
    }

    @Override
    public String protocol() {
        return "ebusd";
    }

    @Override
    public int defaultPort() {
        return EbusdProtocol.DEFAULT_PORT;
    }

    /**
     * The gateway talks to ebusd, which answers from its cache within {@code max_age}: polling ebusd more often
     * than that costs no bus time, so 10 s is allowed; 60 s is the sheet's suggestion.
     */
    @Override
    public int minPollIntervalSeconds() {
        return 10;
    }

    @Override
    public int defaultPollIntervalSeconds() {
        return 60;
    }

    @Override
    public HeatpumpCapabilities capabilities(DeviceConfig deviceConfig) {
        return new HeatpumpCapabilities(true, false, true, false, false, false, false, true, List.of(), 0);
    }

    @Override
    public List<SensorDefinition> sensors(DeviceConfig deviceConfig) {
        return VaillantMessages.sensors();
    }

    @Override
    public List<String> validate(DeviceConfig deviceConfig) {
        List<String> problems = new ArrayList<>();
        if (!deviceConfig.circuits().isEmpty()) {
            problems.add("the Vaillant driver reads heating circuit 1 of the controller only (remove circuits "
                    + deviceConfig.circuits() + ")");
        }
        if (!deviceConfig.zones().isEmpty()) {
            problems.add("the Vaillant driver reads zone 1 of the controller only (remove zones "
                    + deviceConfig.zones() + ")");
        }
        problems.addAll(optionProblems(deviceConfig.options()));
        return problems;
    }

    /** Problems with the circuit and max-age options, wherever they are given. */
    static List<String> optionProblems(Map<String, String> options) {
        List<String> problems = new ArrayList<>();
        for (String key : List.of(OPTION_HEATPUMP_CIRCUIT, OPTION_CONTROLLER_CIRCUIT)) {
            String v = options.get(key);
            if (v != null && !EbusdProtocol.validCircuit(v)) {
                problems.add(key + " '" + v + "' is not an ebusd circuit name (letters, digits, '.', '_', '-'; "
                        + "e.g. hmu, ctlv2, 700)");
            }
        }
        for (String key : List.of(OPTION_MAX_AGE, OPTION_SLOW_MAX_AGE)) {
            String v = options.get(key);
            if (v != null) {
                try {
                    int n = Integer.parseInt(v.trim());
                    if (n < 0 || n > MAX_AGE_LIMIT_SECONDS) {
                        problems.add(key + " must be 0-" + MAX_AGE_LIMIT_SECONDS + " seconds, not " + n);
                    }
                } catch (NumberFormatException e) {
                    problems.add(key + " must be a whole number of seconds, not '" + v + "'");
                }
            }
        }
        return problems;
    }

    @Override
    public DeviceSession open(ConnectionConfig connection, DeviceConfig deviceConfig) throws DeviceException {
        DeviceConfig config = deviceConfig == null ? DeviceConfig.empty() : deviceConfig;
        Map<String, String> options = new HashMap<>(config.options());
        options.putAll(connection.options()); // connection options win
        List<String> problems = optionProblems(options);
        if (!problems.isEmpty()) {
            throw new DeviceException("invalid Vaillant options: " + String.join("; ", problems));
        }
        Map<Device, String> circuits = new EnumMap<>(Device.class);
        circuits.put(Device.HEAT_PUMP, options.getOrDefault(OPTION_HEATPUMP_CIRCUIT, DEFAULT_HEATPUMP_CIRCUIT));
        circuits.put(Device.CONTROLLER, options.getOrDefault(OPTION_CONTROLLER_CIRCUIT, DEFAULT_CONTROLLER_CIRCUIT));
        int maxAge = intOption(options, OPTION_MAX_AGE, DEFAULT_MAX_AGE_SECONDS);
        int slowMaxAge = intOption(options, OPTION_SLOW_MAX_AGE, DEFAULT_SLOW_MAX_AGE_SECONDS);
        int port = connection.port() > 0 ? connection.port() : EbusdProtocol.DEFAULT_PORT;
        EbusdClient client = new EbusdClient(connection.host(), port, connection.timeoutMs(), connection.timeoutMs());
        return new VaillantSession(client, circuits, maxAge, Duration.ofSeconds(slowMaxAge), Clock.systemUTC());
    }

    private static int intOption(Map<String, String> options, String key, int fallback) {
        String v = options.get(key);
        return v == null ? fallback : Integer.parseInt(v.trim());
    }

    /** Controller setpoints and modes on the allow-list only; never the HMU (fact sheet §6). */
    @Override
    public Optional<String> refuseWrite(SensorDefinition sensor, double value, DeviceSnapshot latest) {
        if (!VaillantMessages.allowListed(sensor)) {
            return Optional.of(sensor.id() + " is not on the Vaillant write allow-list (hot water target, heating "
                    + "mode and room setpoints of zone 1)");
        }
        return Optional.empty();
    }

    @Override
    public AnomalyFeatures anomalyFeatures(DeviceConfig deviceConfig) {
        Set<String> present = new HashSet<>();
        sensors(deviceConfig).forEach(s -> present.add(s.id()));
        List<String> features = new ArrayList<>();
        for (String id : new String[] {"temp_outdoor", "temp_flow", "temp_return", "temp_hot_water",
                "temp_air_intake", "compressor_modulation", VaillantMessages.HEAT_OUTPUT,
                VaillantMessages.ELECTRICAL_POWER}) {
            if (present.contains(id)) {
                features.add(id);
            }
        }
        return new AnomalyFeatures(features, "temp_flow", "temp_return", VaillantMessages.HEAT_OUTPUT,
                VaillantMessages.ELECTRICAL_POWER);
    }

    /** From the HMU's State field (fact sheet §5.2). */
    @Override
    public OperatingMode operatingMode(DeviceSnapshot snapshot) {
        SensorReading r = snapshot.reading("operating_state");
        if (r == null || !r.good() || r.value() == null) {
            return OperatingMode.UNKNOWN;
        }
        return switch ((int) Math.round(r.value())) {
            case 0x01 -> OperatingMode.STANDBY;
            case 0x09 -> OperatingMode.HEATING;
            case 0x11 -> OperatingMode.COOLING;
            case 0x81 -> OperatingMode.HOT_WATER;
            default -> OperatingMode.UNKNOWN;
        };
    }

    @Override
    public DashboardTemplate dashboardTemplate(DeviceConfig deviceConfig) {
        return new DashboardTemplate("Vaillant aroTHERM", List.of(
                new Chart("Temperatures", "line", List.of("temp_outdoor", "temp_flow", "temp_return",
                        "temp_flow_target", "temp_hot_water", "hot_water_target"), 24),
                new Chart("Room zone 1", "line", List.of("temp_room_z1", "room_setpoint_effective_z1"), 24),
                new Chart("Power", "line", List.of(VaillantMessages.ELECTRICAL_POWER, VaillantMessages.YIELD_POWER,
                        VaillantMessages.HEAT_OUTPUT), 24),
                new Chart("Compressor", "line", List.of("compressor_modulation", "compressor_speed"), 24),
                new Chart("State", "state", List.of("operating_state", "heating_mode_z1", "hot_water_mode",
                        "hot_water_special_function", "status_code"), 24),
                new Chart("Energy", "stat", List.of("yield_heating_today", "yield_hot_water_today",
                        "yield_heating_total", "yield_hot_water_total", "electrical_energy_total"), 24),
                new Chart("Setpoints", "table", List.of("hot_water_target", "room_setpoint_day_z1",
                        "room_setpoint_night_z1", "room_quick_veto_z1", "heating_curve_hc1"), 0)));
    }

    @Override
    public String setupInstructions() {
        return """
                ## Vaillant aroTHERM / aroTHERM plus (VRC 700 / VRC 720) through ebusd

                Vaillant offers no local network interface for its heat pumps: the myVAILLANT gateways (VR 900,
                VR 920/921, VR 940f) talk only to the Vaillant cloud. The local route is the **eBUS**, the two-wire
                bus between the heat pump, the hydraulic station and the controller. You need:

                1. **An eBUS adapter** (e.g. the ebusd adapter v5 or C6; USB, Ethernet or WiFi), connected to the
                   eBUS terminals of the controller or the heat pump. It is not a Vaillant product.
                2. **ebusd** (github.com/john30/ebusd), the open-source daemon that talks to the adapter and
                   decodes the messages with the community definitions (ebusd-configuration). Start it with its
                   TCP command port, **8888** by default (`--port`); if the gateway runs on another machine, do not
                   use `--localhost`.
                3. **Check it** before adding the device: `ebusctl info` (or `echo info | nc HOST 8888`) must
                   report a bus signal and list the scanned devices, such as `address 08: slave … scanned
                   "MF=Vaillant;ID=HMU00…", loaded "vaillant/08.hmu.csv"`
                   (the heat pump, circuit `hmu`) and `address 15: … ID=CTLV2` (the VRC 720, circuit `ctlv2`;
                   a VRC 700 shows as `700`). `ebusctl read -c hmu State state` should print a number.
                   - No `loaded "vaillant/08.hmu…csv"` for your heat pump (aroTHERM plus HMUX0)? ebusd has no
                     definitions for it yet: copy or link `08.hmu.csv` as the ebusd-configuration issues describe.
                   - `ERR: no signal` means the adapter sees no eBUS: check its wiring.
                4. In the gateway, enter ebusd's host and port. The connection options `heatpump_circuit`
                   (default `hmu`) and `controller_circuit` (default `ctlv2`; `ctlv3` or `700` on other
                   controllers) name the circuits as `ebusctl info` and `find` show them. `max_age` (default 30 s)
                   lets ebusd answer from its cache instead of the bus; slow values (energy, counters, COP) are read
                   every `slow_max_age` (default 600 s).

                Message definitions differ between firmware versions. A value your unit does not answer (`ERR:
                invalid position`, `ERR: element not found`) shows as *not available* and is asked again only
                every `slow_max_age`; the device stays online. `ERR: read timeout` or `ERR: arbitration lost` mark
                one value as failed for one poll.

                **Writes** are limited to the controller: hot water target (35–70 °C, whole degrees), heating mode
                of zone 1 (off/auto/manual) and the zone 1 room setpoints (day, night, quick veto; 5–30 °C in steps
                of 0.5). The heat-pump unit's settings are never written. ebusd needs write access to these
                messages (default access level, or `--accesslevel=*` if your definitions mark them for installers).
                The myVAILLANT app may change the same values; the gateway reads back after every write.
                """;
    }

    /** Heat output (electrical + environmental yield, inferred) over electrical input, both in W. */
    @Override
    public Optional<CopSources> copSources(DeviceConfig deviceConfig) {
        return Optional.of(new CopSources(VaillantMessages.HEAT_OUTPUT, VaillantMessages.ELECTRICAL_POWER, null, null));
    }

    /**
     * Outdoor from the controller, flow and return from the heat pump, hot water from the controller's tank sensor.
     * No common fault (the HMU status code is text, state 0x0b "error" is not a 0/non-0 signal) and no utility lock.
     */
    @Override
    public Map<SensorRole, String> sensorRoles(DeviceConfig deviceConfig) {
        return Map.of(SensorRole.OUTDOOR_TEMPERATURE, "temp_outdoor",
                SensorRole.FLOW_TEMPERATURE, "temp_flow",
                SensorRole.RETURN_TEMPERATURE, "temp_return",
                SensorRole.HOT_WATER_TEMPERATURE, "temp_hot_water");
    }
}
