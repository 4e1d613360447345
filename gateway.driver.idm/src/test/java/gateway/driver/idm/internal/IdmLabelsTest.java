package gateway.driver.idm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorLabels;
import gateway.core.testing.LabelCoverage;

/** The German names come from the driver bundle's labels file; golden values typed from the iDM table by hand. */
class IdmLabelsTest {

    private final SensorLabels german = new IdmDriver().labels(Locale.GERMAN);

    private static SensorDefinition sensor(String id) {
        return IdmRegisterMap.all().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no sensor " + id));
    }

    @Test
    void generalRegistersCarryTheNamesOfTheIdmTable() {
        // shared/reference/idm-navigator-2.0.md §4, column "Name (iDM)"
        assertEquals("Außentemperatur (B32)", german.name(sensor("temp_outside")));
        assertEquals("WP Vorlauftemperatur (B33)", german.name(sensor("temp_heat_pump_flow")));
        assertEquals("WP Rücklauftemperatur (B34)", german.name(sensor("temp_heat_pump_return")));
        assertEquals("Warmwasser-Solltemperatur", german.name(sensor("temp_water_target")));
        assertEquals("Trinkwassererwärmertemp. oben (B48)", german.name(sensor("temp_water_heater_top")));
        assertEquals("Betriebsart System", german.name(sensor("status_system")));
        assertEquals("Momentanleistung", german.name(sensor("power_current")));
        assertEquals("Aktuelle Leistungsaufnahme Wärmepumpe", german.name(sensor("power_current_draw")));
        assertEquals("Status Verdichter 2", german.name(sensor("state_compressor_2")));
    }

    @Test
    void systemModeValuesAreTheControllersWords() {
        // §4 row 1005: 0 Standby, 1 Automatik, 2 Abwesend, 3 Urlaub, 4 Nur Warmwasser, 5 Nur Heizung/Kühlung
        assertEquals(Map.of("0", "Standby", "1", "Automatik", "2", "Abwesend", "3", "Urlaub",
                "4", "Nur Warmwasser", "5", "Nur Heizung/Kühlung"), german.enumLabels(sensor("status_system")));
    }

    @Test
    void circuitAndZoneTemplatesNameTheirCircuitAndRoom() {
        assertEquals("Vorlauftemperatur HK A", german.name(sensor("temp_flow_current_circuit_a")));
        assertEquals("Raumsolltemperatur Heizen Normal HK G",
                german.name(sensor("temp_room_target_heating_normal_circuit_g")));
        assertEquals("Parallelverschiebung HK C", german.name(sensor("curve_offset_c")));
        assertEquals("Raumtemperatur Zone 10 Raum 8", german.name(sensor("temp_room_zone_10_room_8")));
        assertEquals("Raummodus Zone 1 Raum 1", german.name(sensor("mode_zone_1_room_1")));
        // §5 operating mode: 0 Aus, 1 Zeitprogramm, 2 Normal, 3 Eco, 4 Manuell Heizen, 5 Manuell Kühlen
        assertEquals(Map.of("0", "Aus", "1", "Zeitprogramm", "2", "Normal", "3", "Eco", "4", "Manuell Heizen",
                "5", "Manuell Kühlen"), german.enumLabels(sensor("mode_circuit_b")));
    }

    @Test
    void everySensorAndEveryEnumValueHasAGermanLabel() {
        List<String> missing = new ArrayList<>();
        for (SensorDefinition s : IdmRegisterMap.all()) {
            if (!german.hasName(s)) {
                missing.add(s.id());
            }
            s.enumValues().values().forEach(key -> {
                if (!german.hasEnumLabel(s, key)) {
                    missing.add(s.id() + "." + key);
                }
            });
        }
        assertTrue(missing.isEmpty(), "no German label: " + missing);
    }

    @Test
    void setupInstructionsReadInGermanAndTheModelKeepsItsName() {
        LabelCoverage.assertModelTexts(List.of(new IdmDriver()), Locale.GERMAN);
        assertTrue(new IdmDriver().setupInstructions(Locale.GERMAN).contains("Gebäudeleittechnik"));
        assertEquals("Navigator 2.0", new IdmDriver().modelName(Locale.GERMAN));
        assertEquals(new IdmDriver().setupInstructions(), new IdmDriver().setupInstructions(Locale.ENGLISH));
    }

    @Test
    void bitFieldStatesReadInGerman() {
        assertEquals("Heizen, Warmwasser", german.text(sensor("status_heat_pump"), "heating, hot_water"));
    }

    @Test
    void englishStaysTheDriversNames() {
        SensorLabels english = new IdmDriver().labels(Locale.ENGLISH);
        assertEquals("Outdoor temperature (B32)", english.name(sensor("temp_outside")));
        assertEquals("Hot water only", english.enumLabel(sensor("status_system"), "hot_water_only"));
    }
}
