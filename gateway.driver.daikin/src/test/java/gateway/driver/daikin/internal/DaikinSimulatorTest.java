package gateway.driver.daikin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceSession;
import gateway.core.api.Quality;
import gateway.core.api.ReadResult;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

/** The Daikin simulators over real loopback sockets, read through the driver's own session. */
class DaikinSimulatorTest {

    private DaikinSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private static ConnectionConfig connection(int port) {
        return new ConnectionConfig("127.0.0.1", port, 1, 2000, Map.of());
    }

    private static void assertServedValues(DaikinSimulator sim, DaikinDriver driver, DeviceConfig config)
            throws Exception {
        List<SensorDefinition> sensors = driver.sensors(config);
        try (DeviceSession session = driver.open(connection(sim.port()), config)) {
            ReadResult r = session.read(sensors);
            for (SensorDefinition s : sensors) {
                SensorReading reading = r.readings().get(s.id());
                if (s.id().equals("unit_error_code")) {
                    assertEquals(Quality.GOOD, reading.quality());
                    continue;
                }
                Double served = sim.value(s.id());
                if (served == null) {
                    assertEquals(Quality.INVALID, reading.quality(), s.id() + " serves a sentinel");
                } else {
                    assertEquals(Quality.GOOD, reading.quality(), s.id() + ": " + reading.error());
                    assertEquals(served, reading.value(), 1e-6, s.id());
                }
            }
        }
    }

    @Test
    void altherma3ReadingsEqualWhatTheSimulatorServes() throws Exception {
        sim = DaikinSimulator.start(DaikinModel.ALTHERMA_3_EKRHH, 0, DaikinRegisterMapTest.BOTH, 0);
        sim.step(300);
        sim.set("temp_outdoor", -7.25);
        sim.set("lw_heating_setpoint", 42);
        assertServedValues(sim, new DaikinAltherma3EkrhhDriver(), DaikinRegisterMapTest.BOTH);
        assertEquals(-7.25, sim.value("temp_outdoor"), 1e-9);
    }

    @Test
    void altherma4ReadingsIncludingCoilsAndDiscreteInputsEqualWhatTheSimulatorServes() throws Exception {
        sim = DaikinSimulator.start(DaikinModel.ALTHERMA_4, 0, DaikinRegisterMapTest.BOTH, 0);
        sim.step(300);
        sim.set("water_pressure", 1.53);
        assertServedValues(sim, new DaikinAltherma4Driver(), DaikinRegisterMapTest.BOTH);
    }

    @Test
    void homeHubWithoutAdditionalZoneServes32766PastRegister60AndTheDriverReadsInvalid() throws Exception {
        sim = DaikinSimulator.start(DaikinModel.ALTHERMA_3_EKRHH, 0, DaikinRegisterMapTest.MAIN, 0);
        DaikinDriver driver = new DaikinAltherma3EkrhhDriver();
        try (DeviceSession session = driver.open(connection(sim.port()), DaikinRegisterMapTest.BOTH)) {
            ReadResult r = session.read(driver.sensors(DaikinRegisterMapTest.BOTH));
            for (String id : List.of("lw_add_heating_setpoint", "wd_add_cooling_offset", "thermostat_input_add",
                    "lw_add_heating_setpoint_min", "lw_add_cooling_setpoint_max")) {
                SensorReading reading = r.readings().get(id);
                assertEquals(Quality.INVALID, reading.quality(), id);
                assertTrue(reading.value() == null, id + " is never scaled");
            }
            assertEquals(Quality.GOOD, r.readings().get("lw_heating_setpoint").quality());
            // input 21–61 in one request, holding 1–59 and 61–67 in two: the boundary is never crossed
            assertEquals(3, r.requests());
        }
    }

    @Test
    void errorCodeIsTwoAsciiCharactersAndSubCode32766MeansNoError() throws Exception {
        sim = DaikinSimulator.start(DaikinModel.ALTHERMA_3_EKRHH, 0, DaikinRegisterMapTest.MAIN, 0);
        sim.setRaw("unit_error_code", 0x5534);
        DaikinDriver driver = new DaikinAltherma3EkrhhDriver();
        List<SensorDefinition> errors = List.of(driver.sensor(DaikinRegisterMapTest.MAIN, "unit_error_code").orElseThrow(),
                driver.sensor(DaikinRegisterMapTest.MAIN, "unit_error_sub_code").orElseThrow());
        try (DeviceSession session = driver.open(connection(sim.port()), DaikinRegisterMapTest.MAIN)) {
            ReadResult r = session.read(errors);
            assertEquals("U4", r.readings().get("unit_error_code").text());
            assertEquals("No error", r.readings().get("unit_error_sub_code").text());
            // 32766 "unavailable" in the text register is no error text: invalid, not two odd characters
            sim.setRaw("unit_error_code", 32766);
            assertEquals(Quality.INVALID, session.read(errors).readings().get("unit_error_code").quality());
        }
    }

    @Test
    void aWriteReachesTheSimulatorOnce() throws Exception {
        sim = DaikinSimulator.start(DaikinModel.ALTHERMA_3_EKRHH, 0, DaikinRegisterMapTest.MAIN, 0);
        DaikinDriver driver = new DaikinAltherma3EkrhhDriver();
        SensorDefinition setpoint = driver.sensor(DaikinRegisterMapTest.MAIN, "lw_heating_setpoint").orElseThrow();
        try (DeviceSession session = driver.open(connection(sim.port()), DaikinRegisterMapTest.MAIN)) {
            session.write(setpoint, 41);
            assertEquals(1, sim.writeCount("lw_heating_setpoint"));
            assertEquals(41.0, sim.value("lw_heating_setpoint"), 1e-9);
            assertEquals(41.0, session.read(List.of(setpoint)).readings().get("lw_heating_setpoint").value(), 1e-9);
        }
    }

    @Test
    void altherma4AcceptsAtMostThreeConnections() throws Exception {
        sim = DaikinSimulator.start(DaikinModel.ALTHERMA_4, 0, DaikinRegisterMapTest.MAIN, 0);
        DaikinDriver driver = new DaikinAltherma4Driver();
        List<SensorDefinition> outdoor = List.of(driver.sensor(DaikinRegisterMapTest.MAIN, "temp_outdoor").orElseThrow());
        List<DeviceSession> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                DeviceSession s = driver.open(connection(sim.port()), DaikinRegisterMapTest.MAIN);
                sessions.add(s);
                assertEquals(Quality.GOOD, s.read(outdoor).readings().get("temp_outdoor").quality());
            }
            try (DeviceSession fourth = driver.open(connection(sim.port()), DaikinRegisterMapTest.MAIN)) {
                assertThrows(DeviceException.class, () -> {
                    ReadResult r = fourth.read(outdoor);
                    // a session may report a failed request per sensor instead of throwing
                    if (r.readings().get("temp_outdoor").quality() != Quality.GOOD) {
                        throw new DeviceException("refused");
                    }
                });
            }
        } finally {
            sessions.forEach(DeviceSession::close);
        }
    }

    @Test
    void valuesMovePlausibly() throws Exception {
        sim = DaikinSimulator.start(DaikinModel.ALTHERMA_4, 0, DaikinRegisterMapTest.MAIN, 0);
        double outdoor = sim.value("temp_outdoor");
        for (int i = 0; i < 60; i++) {
            sim.step(10);
        }
        assertTrue(Math.abs(sim.value("temp_outdoor") - outdoor) > 0.1);
        double lwt = sim.value("temp_leaving_water_buh");
        assertTrue(lwt > 15 && lwt < 65, "leaving water " + lwt);
        assertEquals(1.0, sim.value("compressor_running"), 1e-9);
    }
}
