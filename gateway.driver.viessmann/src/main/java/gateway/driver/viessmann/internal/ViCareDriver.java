package gateway.driver.viessmann.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DashboardTemplate;
import gateway.core.api.DashboardTemplate.Chart;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceSession;
import gateway.core.api.HeatpumpCapabilities;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorRole;

/** Viessmann heat pumps (Vitocal) through the ViCare cloud API. */
@Component(service = HeatpumpDriver.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + ViCareDriver.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=" + ViCareDriver.MODEL_ID})
public final class ViCareDriver implements HeatpumpDriver {

    /** Contract ids: stored with every configured device. */
    public static final String MANUFACTURER_ID = "viessmann";
    public static final String MODEL_ID = "vicare";

    private final ViCareAccounts accounts;

    public ViCareDriver() {
        this(Clock.systemUTC());
    }

    ViCareDriver(Clock clock) {
        this.accounts = new ViCareAccounts(clock);
    }

    @Override
    public String manufacturerId() {
        return MANUFACTURER_ID;
    }

    @Override
    public String manufacturerName() {
        return "Viessmann";
    }

    @Override
    public String modelId() {
        return MODEL_ID;
    }

    @Override
    public String modelName() {
        return "Vitocal (ViCare cloud API)";
    }

    @Override
    public String protocol() {
        return "vicare_api";
    }

    @Override
    public int defaultPort() {
        return 443;
    }

    /** 62 s: one call per poll within 1,450 calls a day less a reserve for writes ({@link ViCareQuota}). */
    @Override
    public int minPollIntervalSeconds() {
        return ViCareQuota.minPollIntervalSeconds();
    }

    /** 120 s, as the fact sheet advises (720 calls a day: room for a second device or the 3,000-call tier). */
    @Override
    public int defaultPollIntervalSeconds() {
        return 120;
    }

    @Override
    public HeatpumpCapabilities capabilities(DeviceConfig deviceConfig) {
        return new HeatpumpCapabilities(true, false, true, false, false, false, false, true,
                ViCareFeatures.CIRCUITS, 0);
    }

    @Override
    public List<SensorDefinition> sensors(DeviceConfig deviceConfig) {
        return ViCareFeatures.sensors(deviceConfig);
    }

    @Override
    public List<String> validate(DeviceConfig deviceConfig) {
        List<String> problems = new ArrayList<>();
        for (String c : deviceConfig.circuits()) {
            if (!ViCareFeatures.CIRCUITS.contains(c)) {
                problems.add("circuit '" + c + "' is not a ViCare heating circuit (0, 1, 2 or 3)");
            }
        }
        if (!deviceConfig.zones().isEmpty()) {
            problems.add("ViCare devices have no zone modules (remove zones " + deviceConfig.zones() + ")");
        }
        return problems;
    }

    @Override
    public DeviceSession open(ConnectionConfig connection, DeviceConfig deviceConfig) throws DeviceException {
        ViCareConnection c = ViCareConnection.of(connection);
        List<String> problems = c.problems();
        if (!problems.isEmpty()) {
            throw new DeviceException(String.join("; ", problems));
        }
        ViCareAccount account = accounts.account(c.apiBaseUrl(), c.tokenUrl(), c.clientId(), c.refreshToken());
        ViCareClient client = new ViCareClient(c, account, Duration.ofMillis(connection.timeoutMs()));
        return new ViCareSession(client, deviceConfig == null ? DeviceConfig.empty() : deviceConfig,
                accounts.clock());
    }

    /** The options named in issue #17, required ones present, URLs well-formed; unknown ones refused (typos). */
    @Override
    public List<String> validateConnection(ConnectionConfig connection) {
        List<String> problems = new ArrayList<>(ViCareConnection.of(connection).problems());
        for (String key : connection.options().keySet()) {
            if (!ViCareConnection.OPTIONS.contains(key)) {
                problems.add("unknown connection option " + key + " (ViCare takes " + String.join(", ",
                        ViCareConnection.OPTIONS.stream().sorted().toList()) + ")");
            }
        }
        return problems;
    }

    /** A ViCare device is its account's API, installation, gateway and device id; host and port are unused. */
    @Override
    public String endpointKey(ConnectionConfig connection) {
        ViCareConnection c = ViCareConnection.of(connection);
        return "vicare:" + c.apiBaseUrl() + "/" + c.installationId() + "/" + c.gatewaySerial() + "/" + c.deviceId();
    }

    @Override
    public Set<String> secretOptions() {
        return Set.of(ViCareConnection.REFRESH_TOKEN);
    }

    @Override
    public DashboardTemplate dashboardTemplate(DeviceConfig deviceConfig) {
        String c = "circuit" + ViCareFeatures.circuits(deviceConfig).get(0) + "_";
        return new DashboardTemplate("Viessmann ViCare", List.of(
                new Chart("Temperatures", "line", List.of("outdoor_temperature", "supply_temperature",
                        "return_temperature", c + "supply_temperature", "dhw_temperature",
                        "dhw_target_temperature"), 24),
                new Chart("Compressor", "line", List.of("compressor_active", "compressor_speed"), 24),
                new Chart("Energy today", "stat", List.of("electrical_energy_heating_day",
                        "electrical_energy_dhw_day", "heat_energy_heating_day", "heat_energy_dhw_day"), 24),
                new Chart("Modes", "state", List.of(c + "operating_mode", c + "active_program", "dhw_mode",
                        "compressor_phase"), 24),
                new Chart("Setpoints", "table", List.of("dhw_target_temperature", c + "room_setpoint_normal",
                        c + "room_setpoint_reduced", c + "room_setpoint_comfort"), 0),
                new Chart("Messages", "table", List.of("active_errors"), 0)));
    }

    @Override
    public Map<SensorRole, String> sensorRoles(DeviceConfig deviceConfig) {
        return Map.of(SensorRole.OUTDOOR_TEMPERATURE, "outdoor_temperature",
                SensorRole.FLOW_TEMPERATURE, "supply_temperature",
                SensorRole.RETURN_TEMPERATURE, "return_temperature",
                SensorRole.HOT_WATER_TEMPERATURE, "dhw_temperature",
                SensorRole.COMMON_FAULT, "active_errors");
    }

    @Override
    public String setupInstructions() {
        return """
                ## Viessmann heat pumps through the ViCare cloud API

                Viessmann offers no local API for Vitocal heat pumps: the gateway reads them from the ViCare
                cloud, with your own API client, like the ViCare app does.

                1. Sign in at the Viessmann developer portal (https://app.developer.viessmann-climatesolutions.com)
                   with your ViCare account and create a client: type **public** (no secret), reCAPTCHA
                   **disabled**, and as redirect URI this gateway's callback page, the address the next page
                   suggests (`…/console/vicare-callback.html` at the address you reach this console at): the
                   console then finishes the sign-in by itself. Any other redirect URI works too; you paste the
                   address you land at. Copy the client's **client id**.

                The next page does steps 2 to 4 for you (sign in with Viessmann, then choose the device); they
                are here for setting a device up through the REST API alone.

                2. Sign in once with OAuth2 authorization code + PKCE (S256), scope `IoT User offline_access`,
                   at `https://iam.viessmann-climatesolutions.com/idp/v3/authorize`, and exchange the code at
                   `…/idp/v3/token`. Keep the **refresh token** (offline_access gives you one).
                3. Find the installation id, the gateway serial and the device id (the heat pump is usually `0`)
                   with `GET https://api.viessmann-climatesolutions.com/iot/v2/equipment/installations?includeGateways=true`.
                4. Create the device with the connection options `client_id`, `refresh_token`, `installation_id`,
                   `gateway_serial`, `device_id`. `api_base_url` and `token_url` default to Viessmann's and exist
                   for proxies and tests. Host and port are not used.

                **Quota.** The basic tier allows 1,450 API calls a day and 120 in 10 minutes per client id, and a
                429 blocks you until its reset time (usually just after midnight UTC). A poll costs one call, a
                write two (the command and a read-back). The gateway paces all devices of one client id together:
                the shortest poll interval is 62 s, the default 120 s. With several devices on one client id, use
                a longer interval (e.g. 120 s × number of devices), or the gateway shows them *rate limited*
                between polls. The refresh token is stored with the device and never shown by the API.
                """;
    }
}
