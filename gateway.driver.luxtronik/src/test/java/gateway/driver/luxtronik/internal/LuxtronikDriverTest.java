package gateway.driver.luxtronik.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

class LuxtronikDriverTest {

    private final LuxtronikDriver driver = new LuxtronikDriver();

    private SensorDefinition sensor(String id) {
        return driver.sensor(DeviceConfig.empty(), id).orElseThrow();
    }

    private static DeviceSnapshot snapshotWithFirmware(String fw) {
        return new DeviceSnapshot("hp-1", "luxtronik", "luxtronik_2_1", Instant.now(),
                Map.of(LuxtronikMap.FIRMWARE, SensorReading.text(LuxtronikMap.FIRMWARE, fw, Instant.now())));
    }

    @Test
    void contractIdsAndPollIntervals() {
        assertEquals("luxtronik", driver.manufacturerId());
        assertEquals("luxtronik_2_1", driver.modelId());
        assertEquals(8889, driver.defaultPort());
        assertEquals(30, driver.minPollIntervalSeconds());
        assertEquals(60, driver.defaultPollIntervalSeconds());
        assertEquals("luxtronik", driver.protocol());
    }

    @Test
    void sensorIdsAreUniqueAndAddressedByTableIndex() {
        List<SensorDefinition> sensors = driver.sensors(DeviceConfig.empty());
        Set<String> ids = new HashSet<>();
        for (SensorDefinition s : sensors) {
            assertTrue(ids.add(s.id()), "duplicate " + s.id());
            assertTrue(s.registerKind() == RegisterKind.CALCULATION || s.registerKind() == RegisterKind.PARAMETER);
        }
        assertEquals(15, sensor("temp_outdoor").address());
        assertEquals(RegisterKind.CALCULATION, sensor("temp_outdoor").registerKind());
        assertEquals(105, sensor("hot_water_target").address());
        assertEquals(RegisterKind.PARAMETER, sensor("hot_water_target").registerKind());
        assertEquals(81, sensor("firmware_version").address());
    }

    @Test
    void onlyTheAllowListedParametersAreWritableAndEachHasARange() {
        Set<String> writable = driver.sensors(DeviceConfig.empty()).stream().filter(SensorDefinition::writable)
                .map(SensorDefinition::id).collect(Collectors.toSet());
        assertEquals(Set.of("heating_curve_offset", "heating_mode", "hot_water_mode", "hot_water_target",
                "heating_curve_end_point", "heating_curve_parallel_shift", "mk1_curve_end_point",
                "mk1_curve_parallel_shift", "mk2_curve_end_point", "mk2_curve_parallel_shift", "cooling_mode",
                "cooling_release_temp"), writable);
        for (String id : writable) {
            SensorDefinition s = sensor(id);
            assertEquals(RegisterKind.PARAMETER, s.registerKind(), id);
            assertNotNull(s.min(), id);
            assertNotNull(s.max(), id);
            assertTrue(LuxtronikMap.allowListed(s), id);
        }
    }

    @Test
    void refusesWritesWhenTheLatestSnapshotShowsRebootingFirmware() {
        SensorDefinition target = sensor("hot_water_target");
        for (String fw : List.of("V1.90.0", "V2.90.0", "V3.90.1")) {
            String why = driver.refuseWrite(target, 50, snapshotWithFirmware(fw)).orElseThrow();
            assertTrue(why.contains(fw) && why.contains("reboot"), why);
        }
        for (String fw : List.of("V3.88.1", "V2.88.1", "V1.73", "V3.9.0")) {
            assertTrue(driver.refuseWrite(target, 50, snapshotWithFirmware(fw)).isEmpty(), fw);
        }
        assertTrue(driver.refuseWrite(target, 50, null).isEmpty(), "the session checks when no snapshot exists");
    }

    @Test
    void refusesWritesOfParametersOffTheAllowList() {
        assertFalse(driver.refuseWrite(sensor("heating_night_setback"), 0, snapshotWithFirmware("V3.88.1")).isEmpty());
        assertFalse(driver.refuseWrite(sensor("temp_outdoor"), 0, snapshotWithFirmware("V3.88.1")).isEmpty());
    }

    @Test
    void validateRejectsCircuitsZonesAndBadOptions() {
        assertTrue(driver.validate(DeviceConfig.empty()).isEmpty());
        assertEquals(1, driver.validate(DeviceConfig.of(List.of("A"), List.of())).size());
        assertEquals(1, driver.validate(DeviceConfig.of(List.of(), List.of(0))).size());
        assertEquals(1, driver.validate(new DeviceConfig(List.of(), List.of(),
                Map.of(LuxtronikDriver.OPTION_HIDE_INVISIBLE, "maybe"))).size());
        assertTrue(driver.validate(new DeviceConfig(List.of(), List.of(),
                Map.of(LuxtronikDriver.OPTION_HIDE_INVISIBLE, "false"))).isEmpty());
    }

    @Test
    void dashboardTemplateNamesOnlyExistingSensors() {
        Set<String> ids = driver.sensors(DeviceConfig.empty()).stream().map(SensorDefinition::id)
                .collect(Collectors.toSet());
        driver.dashboardTemplate(DeviceConfig.empty()).charts()
                .forEach(c -> c.sensors().forEach(id -> assertTrue(ids.contains(id), c.title() + ": " + id)));
    }

    @Test
    void setupInstructionsNameBothPortsAndTheWriteLockOut() {
        String text = driver.setupInstructions();
        assertTrue(text.contains("8889") && text.contains("8888") && text.contains("1.73"));
        assertTrue(text.contains("V2.90.0") && text.contains("One client at a time"));
    }

    @Test
    void rangeStepAndEnumChecksGuardTheRawValue() throws Exception {
        assertEquals(480, LuxtronikSession.rawFor(sensor("hot_water_target"), 48.0));
        assertEquals(-15, LuxtronikSession.rawFor(sensor("heating_curve_offset"), -1.5));
        assertEquals(4, LuxtronikSession.rawFor(sensor("heating_mode"), 4));
        assertThrows(LuxtronikWriteRefusedException.class,
                () -> LuxtronikSession.rawFor(sensor("hot_water_target"), 80));
        assertThrows(LuxtronikWriteRefusedException.class,
                () -> LuxtronikSession.rawFor(sensor("hot_water_target"), 48.3));
        assertThrows(LuxtronikWriteRefusedException.class,
                () -> LuxtronikSession.rawFor(sensor("heating_mode"), 5));
        assertThrows(LuxtronikWriteRefusedException.class,
                () -> LuxtronikSession.rawFor(sensor("hot_water_target"), Double.NaN));
    }
}
