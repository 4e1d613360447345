package gateway.driver.stiebel.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
import gateway.core.api.OperatingMode;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.api.SensorRole;
import gateway.core.modbus.ModbusHeatpumpDriver;

/**
 * The Stiebel Eltron driver for one controller family; the DS components {@link StiebelWpmDriver} and
 * {@link StiebelLwzDriver} register one service per model. The device is the ISG, which speaks Modbus TCP for the
 * controller behind it; see {@link StiebelSession} for identification, blocks and split values.
 */
public abstract class StiebelDriver extends ModbusHeatpumpDriver implements AnomalyProfile {

    /** openHAB's binding polls every 5 s by default; faster has no field report behind it. */
    static final int MIN_POLL_SECONDS = 5;
    /** The HA component's default; the ISG's Modbus service is reported to hang under hard polling. */
    static final int DEFAULT_POLL_SECONDS = 30;

    private final StiebelModel model;

    protected StiebelDriver(StiebelModel model) {
        super(model.identity());
        this.model = model;
    }

    public StiebelModel model() {
        return model;
    }

    @Override
    public int minPollIntervalSeconds() {
        return MIN_POLL_SECONDS;
    }

    @Override
    public int defaultPollIntervalSeconds() {
        return DEFAULT_POLL_SECONDS;
    }

    /** Heating circuits the map covers. */
    List<String> circuits() {
        return model == StiebelModel.WPM ? List.of("1", "2") : List.of("1");
    }

    @Override
    public HeatpumpCapabilities capabilities(DeviceConfig deviceConfig) {
        return new HeatpumpCapabilities(true, model == StiebelModel.WPM, true, false, false, false, true, true,
                circuits(), 0);
    }

    /** The rows of this configuration: the circuits chosen (default all), SG Ready at the configured period. */
    List<StiebelRegister> rows(DeviceConfig deviceConfig) {
        int refresh;
        try {
            refresh = StiebelRegisterMap.sgReadyRefresh(deviceConfig.options());
        } catch (IllegalArgumentException e) {
            refresh = StiebelRegisterMap.DEFAULT_SG_READY_REFRESH; // validate() reports it
        }
        List<String> chosen = deviceConfig.circuits();
        return StiebelRegisterMap.rows(model, refresh).stream()
                .filter(r -> chosen.isEmpty() || r.sensor().circuit() == null || chosen.contains(r.sensor().circuit()))
                .toList();
    }

    @Override
    public List<SensorDefinition> sensors(DeviceConfig deviceConfig) {
        return rows(deviceConfig).stream().map(StiebelRegister::sensor).toList();
    }

    @Override
    public List<String> validate(DeviceConfig deviceConfig) {
        List<String> problems = new ArrayList<>();
        for (String c : deviceConfig.circuits()) {
            if (!circuits().contains(c)) {
                problems.add("Stiebel Eltron " + model.id() + " has no heating circuit '" + c + "'; supported: "
                        + String.join(", ", circuits()));
            }
        }
        if (!deviceConfig.zones().isEmpty()) {
            problems.add("Stiebel Eltron " + model.id() + " has no zones; remove zones " + deviceConfig.zones());
        }
        try {
            StiebelRegisterMap.sgReadyRefresh(deviceConfig.options());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    @Override
    public DeviceSession open(ConnectionConfig connection, DeviceConfig deviceConfig) throws DeviceException {
        return new StiebelSession(connection, model, rows(deviceConfig));
    }

    /** Heat and electricity totals of the compressor (heating + hot water), whole kWh. */
    @Override
    public Optional<CopSources> copSources(DeviceConfig deviceConfig) {
        return Optional.of(new CopSources(null, null, "energy_produced_total", "energy_consumed_total"));
    }

    /** Outdoor, flow, return, hot water, fault status (0 = none) and, on WPM, the utility lock (POWER OFF). */
    @Override
    public Map<SensorRole, String> sensorRoles(DeviceConfig deviceConfig) {
        if (model == StiebelModel.WPM) {
            return Map.of(SensorRole.OUTDOOR_TEMPERATURE, "temp_outdoor",
                    SensorRole.FLOW_TEMPERATURE, "temp_flow",
                    SensorRole.RETURN_TEMPERATURE, "temp_return",
                    SensorRole.HOT_WATER_TEMPERATURE, "temp_hot_water",
                    SensorRole.COMMON_FAULT, "fault_status",
                    SensorRole.UTILITY_LOCK, "utility_lock");
        }
        // the LWZ reports its utility lock only as bit 7 of the status word, which the role cannot express
        return Map.of(SensorRole.OUTDOOR_TEMPERATURE, "temp_outdoor",
                SensorRole.FLOW_TEMPERATURE, "temp_flow",
                SensorRole.RETURN_TEMPERATURE, "temp_return",
                SensorRole.HOT_WATER_TEMPERATURE, "temp_hot_water",
                SensorRole.COMMON_FAULT, "fault_status");
    }

    @Override
    public AnomalyFeatures anomalyFeatures(DeviceConfig deviceConfig) {
        Set<String> present = new HashSet<>();
        sensors(deviceConfig).forEach(s -> present.add(s.id()));
        String[] candidates = model == StiebelModel.WPM
                ? new String[] {"temp_outdoor", "temp_flow", "temp_return", "temp_hot_water", "temp_source",
                    "temp_hot_gas", "power_inverter"}
                : new String[] {"temp_outdoor", "temp_flow", "temp_return", "temp_hot_water", "temp_hot_gas",
                    "pressure_high", "pressure_low", "compressor_speed"};
        List<String> features = new ArrayList<>();
        for (String id : candidates) {
            if (present.contains(id)) {
                features.add(id);
            }
        }
        // inverter power (kW) is the WPMsystem's electric input; there is no thermal power register
        return new AnomalyFeatures(features, "temp_flow", "temp_return", null,
                model == StiebelModel.WPM ? "power_inverter" : null);
    }

    /** From the bit-coded operating status (WPM 2501, LWZ 2001): defrost, cooling, hot water, heating, else standby. */
    @Override
    public OperatingMode operatingMode(DeviceSnapshot snapshot) {
        SensorReading status = snapshot.reading("operating_status");
        if (status == null || !status.good() || status.value() == null) {
            return OperatingMode.UNKNOWN;
        }
        long bits = Math.round(status.value());
        boolean wpm = model == StiebelModel.WPM;
        if (set(bits, wpm ? 9 : 11)) {
            return OperatingMode.DEFROST;
        }
        if (set(bits, wpm ? 8 : 3)) {
            return OperatingMode.COOLING;
        }
        if (set(bits, wpm ? 5 : 4)) {
            return OperatingMode.HOT_WATER;
        }
        if (set(bits, wpm ? 4 : 2)) {
            return OperatingMode.HEATING;
        }
        return OperatingMode.STANDBY;
    }

    private static boolean set(long bits, int bit) {
        return (bits & (1L << bit)) != 0;
    }

    @Override
    public DashboardTemplate dashboardTemplate(DeviceConfig deviceConfig) {
        List<Chart> charts = new ArrayList<>();
        charts.add(new Chart("Temperatures", "line", List.of("temp_outdoor", "temp_flow", "temp_return",
                "temp_circuit_1_setpoint"), 24));
        charts.add(new Chart("Hot water", "line", List.of("temp_hot_water", "temp_hot_water_setpoint"), 24));
        charts.add(model == StiebelModel.WPM
                ? new Chart("Source and refrigerant", "line", List.of("temp_source", "temp_hot_gas"), 24)
                : new Chart("Refrigerant", "line", List.of("temp_hot_gas", "pressure_high", "pressure_low"), 24));
        charts.add(new Chart("Energy", "bar", List.of("energy_produced_total", "energy_consumed_total"), 168));
        charts.add(new Chart("Today", "stat", List.of("energy_heating_day", "energy_heating_consumed_day",
                "energy_hot_water_day", "energy_hot_water_consumed_day"), 0));
        charts.add(new Chart("State", "state", List.of("operating_status", "operating_mode", "sg_ready_state"), 0));
        charts.add(new Chart("Faults", "stat", model == StiebelModel.WPM
                ? List.of("fault_status", "active_error", "utility_lock") : List.of("fault_status", "bus_status"), 0));
        return new DashboardTemplate("Stiebel Eltron " + model.id().toUpperCase(java.util.Locale.ROOT), charts);
    }

    @Override
    public String setupInstructions() {
        String map = model == StiebelModel.WPM
                ? "a WPM 3 (id 390), WPM 3i (391) or WPMsystem (449)"
                : "an LWZ/LWA x04 (id 103), LWZ x04 SOL (104) or LWZ R290 (551)";
        return """
                ## Connect a Stiebel Eltron %s through the ISG

                The gateway talks to the **ISG** (Internet Service Gateway: ISG web, ISG plus or ISG Connect), not to
                the heat pump: the ISG relays Modbus TCP to the controller.

                1. **Have the ISG's Modbus extension enabled.** Without it port 502 refuses connections. Stiebel
                   Eltron's service enables it remotely on request (owners report it is often free). No cloud
                   subscription is needed; everything stays on your network.
                2. ISG firmware older than about 12.1.2 cannot serve Modbus and the EMI (energy management
                   interface) at the same time: update it, or switch the EMI off.
                3. Give the ISG a fixed IP address (a DHCP reservation in your router).
                4. In the gateway add the device with the ISG's address, **port 502**, **unit id 1**, model
                   **%s**. At connect the gateway reads the controller identification (register 5002) and refuses
                   a controller of another family, naming the model to choose: this model fits %s.
                5. Keep the poll interval at **30 s** (the default; 5 s is the least). The ISG's Modbus service is
                   reported to hang under hard polling and then needs an ISG restart.

                Register numbers in Stiebel's manual are 1-based; on the wire they are one less (manual 507 = input
                register 506). Values are input registers (FC04), parameters holding registers (FC03, written with
                FC06 only). 0x8000 means "not available"; totals split into kWh and MWh registers are shown as one
                value in kWh. Blocks only some controllers have are read on their own and dropped when the ISG
                answers "illegal data address".

                Writable: the operating mode, room comfort/eco (or day/night) temperatures, hot-water temperatures
                (within the manual's ranges; written only when they change) and the **SG Ready** switch and inputs
                (4001–4003). The ISG forgets SG Ready inputs after 30–60 s, so the gateway rewrites a value you set
                every 25 s until you release it (device option `sg_ready_refresh_seconds`, 10–300). RESET and
                RESTART ISG are not offered. Energy totals have no decimals and may be updated by the ISG only once
                a day: verify before you bill with them.
                """.formatted(model.displayName(), model.id(), map);
    }
}
