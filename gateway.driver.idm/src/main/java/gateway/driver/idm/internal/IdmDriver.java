package gateway.driver.idm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
import gateway.core.modbus.DriverIdentity;
import gateway.core.modbus.ModbusDeviceProfile;
import gateway.core.modbus.ModbusDeviceSession;
import gateway.core.modbus.ModbusHeatpumpDriver;

/** The iDM Navigator 2.0 driver: Modbus TCP, the register map of {@link IdmRegisterMap}. */
@Component(service = HeatpumpDriver.class, property = {
        HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + IdmDriver.MANUFACTURER_ID,
        HeatpumpDriver.MODEL_PROPERTY + "=" + IdmDriver.MODEL_ID})
public class IdmDriver extends ModbusHeatpumpDriver implements AnomalyProfile {

    public static final String MANUFACTURER_ID = "idm";
    public static final String MODEL_ID = "navigator_2_0";
    static final DriverIdentity IDENTITY = new DriverIdentity(MANUFACTURER_ID, "iDM Energiesysteme", MODEL_ID,
            "Navigator 2.0");
    /** Connection options that override the profile's request limits for controllers that reject big blocks. */
    public static final String OPTION_MAX_BLOCK = "max_block";
    public static final String OPTION_MAX_GAP = "max_gap";

    /**
     * Unused registers a block may span inside a register area: enough to bridge one circuit's FLOAT stride (12-13
     * unused registers between circuit A's values), so circuit A alone reads in 12 requests instead of 23 with a gap of
     * 10. Areas are separated by at least {@link IdmRegisterMap#AREA_SEPARATION} unused registers, so a block never
     * leaves an area even without the forbidden ranges. A controller that rejects a block over a hole answers 02; the
     * session then splits that block and remembers it.
     */
    static final int DEFAULT_MAX_GAP = IdmRegisterMap.AREA_SEPARATION - 1;

    public IdmDriver() {
        super(IDENTITY);
    }

    /**
     * The controller answers a full poll in well under a second, and the original logger offered a 1 s "realtime"
     * mode that users rely on for live views; parameter changes still take ~15 s to act (iDM manual).
     */
    @Override
    public int minPollIntervalSeconds() {
        return 1;
    }

    @Override
    public HeatpumpCapabilities capabilities(DeviceConfig deviceConfig) {
        return new HeatpumpCapabilities(true, true, true, false, true, true, true, true, IdmRegisterMap.CIRCUITS,
                IdmRegisterMap.ZONE_MODULES);
    }

    @Override
    public List<SensorDefinition> sensors(DeviceConfig deviceConfig) {
        return IdmRegisterMap.sensors(deviceConfig);
    }

    @Override
    public List<String> validate(DeviceConfig deviceConfig) {
        return IdmRegisterMap.validate(deviceConfig);
    }

    @Override
    public DeviceSession open(ConnectionConfig connection, DeviceConfig deviceConfig) throws DeviceException {
        return new ModbusDeviceSession(connection, profile(connection));
    }

    /**
     * iDM: floats low word first both ways, up to 125 registers per read (the Modbus limit; kodebach reads only 32
     * contiguous registers, so {@code max_block} lowers it for controllers that refuse big blocks), FC16 for every
     * write (what kodebach does; FC06 is not needed), and no block across the address space without an iDM table.
     */
    public static ModbusDeviceProfile profile(ConnectionConfig connection) {
        int maxBlock = intOption(connection, OPTION_MAX_BLOCK, ModbusDeviceProfile.MODBUS_MAX_BLOCK);
        int maxGap = intOption(connection, OPTION_MAX_GAP, DEFAULT_MAX_GAP);
        return new ModbusDeviceProfile(IdmRegisterMap.WORD_ORDER, IdmRegisterMap.WORD_ORDER,
                Math.max(1, Math.min(ModbusDeviceProfile.MODBUS_MAX_BLOCK, maxBlock)), Math.max(0, maxGap),
                IdmRegisterMap.forbiddenRanges(), false);
    }

    private static int intOption(ConnectionConfig connection, String key, int fallback) {
        String v = connection == null ? null : connection.option(key, null);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /**
     * Outdoor temperature, the heat pump's flow and return, the air heat exchanger, buffer and DHW tank top,
     * electrical and thermal power. Left out: settings and energy counters (they move by user action or only grow),
     * near-duplicates (air intake, hot gas, tank bottom) and states the operating mode already tells (compressor,
     * charge pump) - every extra feature dilutes the trees' random splits.
     */
    @Override
    public AnomalyFeatures anomalyFeatures(DeviceConfig deviceConfig) {
        return new AnomalyFeatures(List.of("temp_outside", "temp_heat_pump_flow", "temp_heat_pump_return",
                "temp_air_heat_exchanger", "temp_heat_storage", "temp_water_heater_top", "power_current_draw",
                "power_thermal"),
                "temp_heat_pump_flow", "temp_heat_pump_return", "power_thermal", "power_current_draw");
    }

    /** From the 1090 bit field (1 heating, 2 cooling, 4 DHW, 8 defrost; 0 off); DHW wins over heating (5). */
    @Override
    public OperatingMode operatingMode(DeviceSnapshot snapshot) {
        SensorReading r = snapshot.reading("status_heat_pump");
        if (r == null || r.value() == null || !r.good()) {
            return OperatingMode.UNKNOWN;
        }
        int bits = (int) Math.round(r.value());
        if ((bits & 8) != 0) {
            return OperatingMode.DEFROST;
        }
        if ((bits & 4) != 0) {
            return OperatingMode.HOT_WATER;
        }
        if ((bits & 2) != 0) {
            return OperatingMode.COOLING;
        }
        return (bits & 1) != 0 ? OperatingMode.HEATING : OperatingMode.STANDBY;
    }

    @Override
    public DashboardTemplate dashboardTemplate(DeviceConfig deviceConfig) {
        List<String> temps = new ArrayList<>(List.of("temp_outside", "temp_heat_pump_flow", "temp_heat_pump_return"));
        List<String> rooms = new ArrayList<>();
        for (String c : deviceConfig.circuits()) {
            String n = IdmRegisterMap.normalizeCircuit(c);
            if (IdmRegisterMap.CIRCUITS.contains(n)) {
                String l = n.toLowerCase(Locale.ROOT);
                temps.add("temp_flow_current_circuit_" + l);
                rooms.add("temp_room_circuit_" + l);
            }
        }
        List<Chart> charts = new ArrayList<>();
        charts.add(new Chart("Temperatures", "line", temps, 24));
        if (!rooms.isEmpty()) {
            charts.add(new Chart("Room temperatures", "line", rooms, 24));
        }
        charts.add(new Chart("Hot water", "line",
                List.of("temp_water_heater_top", "temp_water_heater_bottom", "temp_water_target"), 24));
        charts.add(new Chart("Hot water tank", "gauge", List.of("temp_water_heater_top"), 1));
        charts.add(new Chart("Power", "line",
                List.of("power_current_draw", "power_current", "power_solar_surplus"), 24));
        charts.add(new Chart("Heat energy", "bar",
                List.of("energy_heat_heating", "energy_heat_total_water", "energy_heat_total"), 168));
        charts.add(new Chart("Status", "state",
                List.of("status_heat_pump", "status_system", "state_compressor_1", "failure_heat_pump"), 24));
        return new DashboardTemplate("iDM Navigator 2.0", charts);
    }

    @Override
    public String setupInstructions() {
        return """
                ## Enable Modbus TCP on the iDM Navigator 2.0

                1. On the Navigator touch display open **Settings → Building Management** (*Gebäudeleittechnik*).
                2. Set **Modbus TCP = On**. The web interface can answer while Modbus is still off, so check this setting
                   even if the controller is reachable in a browser.
                3. Connect the controller to the LAN and give it a fixed IP address (DHCP reservation).
                4. Add the device here with that address, **port 502** and **unit id 1**.

                Notes:
                - Modbus TCP has no authentication. Keep the controller on the local network only; never forward port 502
                  from the internet.
                - The controller handles parameter changes cyclically: a written value can take **about 15 seconds** to
                  take effect and to read back.
                - Many settings (system mode, DHW and room setpoints, heating curve, ...) are stored in **EEPROM**, which
                  has limited write cycles. The gateway writes them only when the value changes; do not schedule frequent
                  writes to them.
                - External values (PV surplus, room temperatures, BMS outdoor temperature) are only used when the controller
                  is configured to take them from the building management system (e.g. *BMS Outdoor Temperature = Yes*).
                - Write *acknowledge faults* only once, never repeatedly.
                """;
    }

    /**
     * Thermal power 1790 over electrical power 4122; heat energy from counter 1750 (heating + hot water). The
     * Navigator has no electrical energy counter, so the gateway integrates 4122 over the poll times.
     */
    @Override
    public java.util.Optional<CopSources> copSources(DeviceConfig deviceConfig) {
        return java.util.Optional.of(new CopSources("power_current", "power_current_draw", "energy_heat_total", null));
    }

    /**
     * Alert-template roles (sheet: B32 outdoor, B33/B34 heat pump flow/return, B48 DHW top, 1099 common fault, 1098
     * EVU contact with 0 = locked).
     */
    @Override
    public Map<SensorRole, String> sensorRoles(DeviceConfig deviceConfig) {
        return Map.of(SensorRole.OUTDOOR_TEMPERATURE, "temp_outside",
                SensorRole.FLOW_TEMPERATURE, "temp_heat_pump_flow",
                SensorRole.RETURN_TEMPERATURE, "temp_heat_pump_return",
                SensorRole.HOT_WATER_TEMPERATURE, "temp_water_heater_top",
                SensorRole.COMMON_FAULT, "failure_heat_pump",
                SensorRole.UTILITY_LOCK, "evu_lock_status");
    }
}
