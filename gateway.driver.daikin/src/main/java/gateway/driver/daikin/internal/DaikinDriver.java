package gateway.driver.daikin.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import gateway.core.api.AnomalyFeatures;
import gateway.core.api.AnomalyProfile;
import gateway.core.api.ConnectionConfig;
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
import gateway.core.modbus.ModbusDeviceSession;
import gateway.core.modbus.ModbusHeatpumpDriver;

/**
 * The Daikin Altherma driver for one model; {@link DaikinAltherma3EkrhhDriver} and {@link DaikinAltherma4Driver}
 * register one service per model. Circuits: {@code main} (always) and {@code additional} (the additional zone).
 */
public abstract class DaikinDriver extends ModbusHeatpumpDriver implements AnomalyProfile {

    private final DaikinModel model;

    protected DaikinDriver(DaikinModel model) {
        super(model.identity());
        this.model = model;
    }

    public DaikinModel model() {
        return model;
    }

    @Override
    public HeatpumpCapabilities capabilities(DeviceConfig deviceConfig) {
        return new HeatpumpCapabilities(true, true, true, false, false, false, true, true, DaikinRegisterMap.CIRCUITS, 0);
    }

    @Override
    public List<SensorDefinition> sensors(DeviceConfig deviceConfig) {
        return DaikinRegisterMap.sensors(model, deviceConfig);
    }

    @Override
    public List<String> validate(DeviceConfig deviceConfig) {
        List<String> problems = new ArrayList<>();
        for (String c : deviceConfig.circuits()) {
            if (!DaikinRegisterMap.CIRCUITS.contains(c)) {
                problems.add("Daikin " + model.id() + " has no circuit '" + c + "'; use 'main' and optionally 'additional'"
                        + " (the additional zone)");
            }
        }
        if (!deviceConfig.zones().isEmpty()) {
            problems.add("Daikin " + model.id() + " has no zone modules; configure the additional zone as circuit"
                    + " 'additional' instead of zones " + deviceConfig.zones());
        }
        return problems;
    }

    @Override
    public DeviceSession open(ConnectionConfig connection, DeviceConfig deviceConfig) throws DeviceException {
        return new ModbusDeviceSession(connection, DaikinRegisterMap.profile(model));
    }

    /**
     * Anomaly features: outdoor, leaving and return water, hot water, liquid refrigerant, water flow rate, power
     * consumption. The Altherma reports no thermal power, so there is no COP feature.
     */
    @Override
    public AnomalyFeatures anomalyFeatures(DeviceConfig deviceConfig) {
        java.util.Set<String> present = new java.util.HashSet<>();
        sensors(deviceConfig).forEach(s -> present.add(s.id()));
        List<String> features = new ArrayList<>();
        for (String id : new String[] {"temp_outdoor", "temp_leaving_water_phe", "temp_return_water", "temp_hot_water",
                "temp_liquid_refrigerant", "flow_rate", "power_consumption"}) {
            if (present.contains(id)) {
                features.add(id);
            }
        }
        return new AnomalyFeatures(features, "temp_leaving_water_phe", "temp_return_water", null,
                null);
    }

    /** Defrost flag first, then compressor off = standby, the 3-way valve on DHW = hot water, else the actual mode. */
    @Override
    public OperatingMode operatingMode(DeviceSnapshot snapshot) {
        if (is(snapshot, "defrost", 1)) {
            return OperatingMode.DEFROST;
        }
        if (is(snapshot, "compressor_running", 0)) {
            return OperatingMode.STANDBY;
        }
        if (is(snapshot, "three_way_valve", 1)) {
            return OperatingMode.HOT_WATER;
        }
        if (is(snapshot, "operation_mode_actual", 2)) {
            return OperatingMode.COOLING;
        }
        return is(snapshot, "operation_mode_actual", 1) ? OperatingMode.HEATING
                : OperatingMode.UNKNOWN;
    }

    private static boolean is(DeviceSnapshot snapshot, String sensor, int value) {
        SensorReading r = snapshot.reading(sensor);
        return r != null && r.good() && r.value() != null && Math.round(r.value()) == value;
    }

    @Override
    public DashboardTemplate dashboardTemplate(DeviceConfig deviceConfig) {
        List<Chart> charts = new ArrayList<>();
        charts.add(new Chart("Water temperatures", "line",
                List.of("temp_outdoor", "temp_leaving_water_buh", "temp_return_water", "temp_hot_water"), 24));
        charts.add(new Chart("Power", "line", List.of("power_consumption", "flow_rate"), 24));
        charts.add(new Chart("Setpoints", "stat", List.of("lw_heating_setpoint", "lw_cooling_setpoint", "hot_water_setpoint"), 0));
        charts.add(new Chart("Operation", "state", List.of("operation_mode", "operation_mode_actual", "space_on",
                "quiet_mode", "smart_grid_mode", "compressor_running", "three_way_valve"), 0));
        charts.add(new Chart("Errors", "table", List.of("unit_error", "unit_error_code", "unit_error_sub_code"), 0));
        if (model == DaikinModel.ALTHERMA_4) {
            charts.add(new Chart("Hot water tank", "line", List.of("temp_hot_water_upper", "temp_hot_water_lower"), 24));
            charts.add(new Chart("Water pressure", "line", List.of("water_pressure"), 168));
        }
        return new DashboardTemplate("Daikin " + model.displayName(), charts);
    }

    @Override
    public String setupInstructions() {
        if (model == DaikinModel.ALTHERMA_3_EKRHH) {
            return """
                    ## Daikin Altherma 3 through the EKRHH Home Hub

                    1. Install the **EKRHH Home Hub** and add it in the **ONECTA app**.
                    2. In the app pick **use case 3, "Modbus RTU/IP for Daikin Altherma"** and the protocol
                       **Modbus TCP/IP** (the default).
                    3. Connect the Home Hub to your local network and give it a fixed IP address.
                    4. In the gateway add the device with that address, **port 502** (plain; 802 is TLS and not
                       supported here), **unit id 1**.
                    5. If an additional zone is installed, add the circuit `additional`; otherwise its registers
                       read "unavailable" (32766).

                    Notes: register numbers in Daikin's guide are 1-based (the gateway subtracts 1). Setpoints are
                    whole °C. Holding registers 1–60 and 61+ are read in separate requests. Settings are written
                    only when they differ from what the unit reports. After a Home Hub firmware update, check that
                    values still arrive (some updates left only the error registers readable).
                    """;
        }
        return """
                ## Daikin Altherma 4 (native Modbus)

                1. On the unit's user interface (MMI **2.2.0 or newer**) enable **Modbus TCP**.
                2. Connect the unit by **Ethernet** (Modbus does not work over Wi-Fi) and give it a fixed IP address.
                3. In the gateway add the device with that address, **port 502**, **unit id 1**.
                4. If an additional zone is installed, add the circuit `additional`.

                Notes: the unit accepts **at most 3 Modbus connections** in total (ports 502 and 802 together);
                the gateway uses one, so close other Modbus tools. Commands from Modbus and the cloud app
                overwrite each other (the latest wins). The unit acts only on *changes*, so the gateway sends a
                setting only when it differs from the value the unit reports. Writes have been reported to reset
                the Modbus connection; the gateway reconnects.
                """;
    }

    /**
     * Alert-template roles: leaving water after the backup heater is the flow (input register 41), unit error 0 = no
     * error (1 error, 2 warning). No utility-lock input in the Modbus map.
     */
    @Override
    public Map<SensorRole, String> sensorRoles(DeviceConfig deviceConfig) {
        return Map.of(SensorRole.OUTDOOR_TEMPERATURE, "temp_outdoor",
                SensorRole.FLOW_TEMPERATURE, "temp_leaving_water_buh",
                SensorRole.RETURN_TEMPERATURE, "temp_return_water",
                SensorRole.HOT_WATER_TEMPERATURE, "temp_hot_water",
                SensorRole.COMMON_FAULT, "unit_error");
    }
}
