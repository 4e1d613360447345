package gateway.core.manager.internal;

import gateway.core.testing.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.AuditLog;
import gateway.core.api.DeviceState;
import gateway.core.api.Heatpump;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SettingsStore;
import gateway.core.api.WriteRejectedException;
import gateway.core.api.WriteRejectedException.Reason;
import gateway.core.api.WriteResult;

class ManagerWriteTest {

    private final ManagerFixture f = new ManagerFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    private Heatpump onlineDevice(SimulatedDevice sim, String name) throws Exception {
        Heatpump hp = f.create(name, sim);
        f.await(name + " online", () -> f.status(hp.id()).state() == DeviceState.ONLINE);
        return hp;
    }

    private Reason rejection(String id, String sensor, double value) {
        return assertThrows(WriteRejectedException.class, () -> f.manager.write(id, sensor, value, "alice"))
                .reason();
    }

    @Test
    void writesAreOffUntilTheSwitchIsOn() throws Exception {
        SimulatedDevice sim = f.simulator();
        f.start();
        assertFalse(f.manager.writeEnabled());
        Heatpump hp = onlineDevice(sim, "Cellar");
        assertEquals(Reason.WRITES_DISABLED, rejection(hp.id(), "setpoint_room", 21));
        assertEquals(0, sim.writes(TestDriver.ROOM_SETPOINT));

        f.manager.setWriteEnabled(true, "admin");
        assertEquals("true", f.settings.values.get(SettingsStore.WRITE_ENABLED));
        AuditLog.Entry e = f.audit.recent(null, 1).get(0);
        assertEquals(List.of("admin", "write_enabled", 0.0, 1.0, "ok"),
                List.of(e.actor(), e.sensorId(), e.oldValue(), e.newValue(), e.result()));
        assertTrue(f.manager.write(hp.id(), "setpoint_room", 21, "alice").written());
    }

    @Test
    void environmentVariableSwitchesWritesOnAtStart() {
        f.env = k -> k.equals("GATEWAY_WRITE_ENABLED") ? "true" : null;
        f.start();
        assertTrue(f.manager.writeEnabled());
        assertEquals("true", f.settings.values.get(SettingsStore.WRITE_ENABLED));
    }

    @Test
    void everyInvalidWriteIsRefusedWithItsReasonAuditedAndNeverSent() throws Exception {
        SimulatedDevice sim = f.simulator();
        sim.set(TestDriver.OUTDOOR, 28.0); // summer: the driver refuses heating mode
        f.start();
        Heatpump hp = onlineDevice(sim, "Cellar");
        f.enableWrites();
        String id = hp.id();

        List<Reason> reasons = new ArrayList<>();
        reasons.add(rejection(id, "no_such_sensor", 1));
        reasons.add(rejection(id, "temp_outdoor", 10));            // read-only
        reasons.add(rejection(id, "setpoint_room", Double.NaN));
        reasons.add(rejection(id, "setpoint_room", Double.POSITIVE_INFINITY));
        reasons.add(rejection(id, "setpoint_dhw", 46.5));           // UINT8 holds whole degrees only
        reasons.add(rejection(id, "setpoint_dhw", 61));             // above 60
        reasons.add(rejection(id, "setpoint_dhw", 34));             // below 35
        reasons.add(rejection(id, "setpoint_room", 20.3));          // steps of 0.5
        reasons.add(rejection(id, "operating_mode", 7));            // not an enum value
        reasons.add(rejection(id, "operating_mode", 2));            // refused by the driver
        reasons.add(rejection(id, "acknowledge_faults", 0.5));      // integral register
        assertEquals(List.of(Reason.UNKNOWN_SENSOR, Reason.NOT_WRITABLE, Reason.INVALID_VALUE, Reason.INVALID_VALUE,
                Reason.INVALID_VALUE, Reason.OUT_OF_RANGE, Reason.OUT_OF_RANGE, Reason.INVALID_VALUE,
                Reason.INVALID_VALUE, Reason.REFUSED_BY_DRIVER, Reason.INVALID_VALUE), reasons);

        List<AuditLog.Entry> rejected = f.audit.withResult("rejected");
        assertEquals(11, rejected.size());
        assertTrue(rejected.stream().allMatch(e -> e.actor().equals("alice") && e.heatpumpId().equals(id)));
        for (SensorDefinition s : TestDriver.SENSORS) {
            assertEquals(0, sim.writes(s), "no write reached the device for " + s.id());
        }
        assertEquals(48.0, sim.value(TestDriver.DHW_SETPOINT), 1e-9);
    }

    @Test
    void writeToAnUnreachableDeviceIsRefusedAsUnavailable() throws Exception {
        SimulatedDevice sim = f.simulator();
        f.start();
        Heatpump hp = onlineDevice(sim, "Cellar");
        f.enableWrites();
        sim.stop();
        f.await("offline", () -> f.status(hp.id()).state() == DeviceState.OFFLINE);
        assertEquals(Reason.DEVICE_UNAVAILABLE, rejection(hp.id(), "setpoint_room", 21));
    }

    @Test
    void validWriteReachesTheDeviceOnceIsReadBackAndAudited() throws Exception {
        SimulatedDevice sim = f.simulator();
        f.start();
        Heatpump hp = onlineDevice(sim, "Cellar");
        f.enableWrites();

        WriteResult r = f.manager.write(hp.id(), "setpoint_room", 21.5, "alice");

        assertTrue(r.written());
        assertEquals(20.0, r.oldValue(), 1e-9);
        assertEquals(21.5, r.readBack(), 1e-9);
        assertEquals(1, sim.writes(TestDriver.ROOM_SETPOINT));
        assertEquals(21.5, sim.value(TestDriver.ROOM_SETPOINT), 1e-9);
        AuditLog.Entry e = f.audit.recent(hp.id(), 1).get(0);
        assertEquals(List.of("alice", hp.id(), "setpoint_room", 20.0, 21.5, "ok"),
                List.of(e.actor(), e.heatpumpId(), e.sensorId(), e.oldValue(), e.newValue(), e.result()));
        assertEquals(21.5, f.latest(hp.id()).reading("setpoint_room").value(), 1e-9);

        WriteResult ack = f.manager.write(hp.id(), "acknowledge_faults", 1, "alice");
        assertTrue(ack.written());
        assertNull(ack.oldValue(), "write-only registers are not read");
        assertNull(ack.readBack());
        assertEquals(1, sim.writes(TestDriver.ACKNOWLEDGE));
    }

    @Test
    void eepromRegisterIsWrittenOnlyWhenTheValueChanges() throws Exception {
        SimulatedDevice sim = f.simulator();
        f.start();
        Heatpump hp = onlineDevice(sim, "Cellar");
        f.enableWrites();

        WriteResult same = f.manager.write(hp.id(), "setpoint_dhw", 48, "alice");
        assertFalse(same.written());
        assertEquals(0, sim.writes(TestDriver.DHW_SETPOINT));
        assertEquals("skipped", f.audit.recent(hp.id(), 1).get(0).result());

        WriteResult changed = f.manager.write(hp.id(), "setpoint_dhw", 50, "alice");
        assertTrue(changed.written());
        assertEquals(1, sim.writes(TestDriver.DHW_SETPOINT));
        assertEquals(50.0, sim.value(TestDriver.DHW_SETPOINT), 1e-9);
    }

    /**
     * The EEPROM rule: no code path writes periodically, except registers the device requires to be refreshed.
     * Several devices poll for 15 simulated seconds after writes of every kind; the simulators count every write
     * request. On simulated time the refresh period is exact, so the number of rewrites is too.
     */
    @Test
    void nothingIsWrittenPeriodicallyExceptRegistersTheDeviceNeedsRefreshed() throws Exception {
        List<SimulatedDevice> sims = List.of(f.simulator(), f.simulator(), f.simulator());
        f.start();
        List<Heatpump> hps = new ArrayList<>();
        for (int i = 0; i < sims.size(); i++) {
            hps.add(onlineDevice(sims.get(i), "Device " + i));
        }
        f.enableWrites();
        for (Heatpump hp : hps) {
            f.manager.write(hp.id(), "setpoint_dhw", 52, "alice");       // EEPROM, changed
            f.manager.write(hp.id(), "setpoint_dhw", 52, "alice");       // EEPROM, unchanged: skipped
            f.manager.write(hp.id(), "setpoint_room", 22, "alice");      // plain
            f.manager.write(hp.id(), "operating_mode", 0, "alice");      // EEPROM enum
            f.manager.write(hp.id(), "acknowledge_faults", 1, "alice");  // NO_CYCLIC_WRITE
        }
        Heatpump refreshed = hps.get(0);
        f.manager.write(refreshed.id(), "pv_surplus", 3.5, "alice");     // REFRESH_REQUIRED, every 3 s
        long connections = f.status(refreshed.id()).reconnects();

        // 15 poll cycles of each device (1 s interval)
        long requestsBefore = sims.get(1).server().requestCount();
        f.time.advance(Duration.ofSeconds(15));
        assertTrue(sims.get(1).server().requestCount() - requestsBefore >= 15, "devices kept polling");
        assertEquals(java.util.Map.of("pv_surplus", 3.5), f.manager.held(refreshed.id()));
        assertTrue(f.manager.release(refreshed.id(), "pv_surplus"));

        for (int i = 0; i < sims.size(); i++) {
            SimulatedDevice sim = sims.get(i);
            assertEquals(1, sim.writes(TestDriver.DHW_SETPOINT), "device " + i);
            assertEquals(1, sim.writes(TestDriver.ROOM_SETPOINT), "device " + i);
            assertEquals(1, sim.writes(TestDriver.MODE), "device " + i);
            assertEquals(1, sim.writes(TestDriver.ACKNOWLEDGE), "device " + i);
            assertEquals(0, sim.writes(TestDriver.OUTDOOR), "device " + i);
            assertEquals(0, sim.writes(TestDriver.POWER), "device " + i);
        }
        assertEquals(0, sims.get(1).writes(TestDriver.PV_SURPLUS));
        assertEquals(0, sims.get(2).writes(TestDriver.PV_SURPLUS));
        int refreshes = sims.get(0).writes(TestDriver.PV_SURPLUS) - 1;
        assertEquals(5, refreshes, "one rewrite every 3 s of the 15 s held");
        assertEquals(refreshes, f.audit.entries.stream().filter(e -> e.actor().equals("refresh")).count());
        assertEquals(connections, f.status(refreshed.id()).reconnects(), "one connection throughout");

        // released: the rewriting stops, while polling goes on
        int afterRelease = sims.get(0).writes(TestDriver.PV_SURPLUS);
        long requestsAfterRelease = sims.get(0).server().requestCount();
        f.time.advance(Duration.ofSeconds(8));
        assertEquals(afterRelease, sims.get(0).writes(TestDriver.PV_SURPLUS));
        assertTrue(sims.get(0).server().requestCount() - requestsAfterRelease >= 8, "the device is still polled");
    }

    @Test
    void refreshHoldEndsWhenTheDeviceIsDisabled() throws Exception {
        SimulatedDevice sim = f.simulator();
        f.start();
        Heatpump hp = onlineDevice(sim, "Cellar");
        f.enableWrites();
        f.manager.write(hp.id(), "pv_surplus", 2.0, "alice");
        f.await("one refresh", Duration.ofSeconds(5), () -> sim.writes(TestDriver.PV_SURPLUS) >= 2);
        f.manager.setEnabled(hp.id(), false);
        int writes = sim.writes(TestDriver.PV_SURPLUS);
        f.time.advance(Duration.ofSeconds(8)); // more than two refresh periods
        assertEquals(writes, sim.writes(TestDriver.PV_SURPLUS));
        assertTrue(f.manager.held(hp.id()).isEmpty());
    }
}
