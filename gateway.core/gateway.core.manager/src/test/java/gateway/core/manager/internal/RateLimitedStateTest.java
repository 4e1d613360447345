package gateway.core.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.AuditLog;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceRateLimitedException;
import gateway.core.api.DeviceSession;
import gateway.core.api.DeviceState;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.ReadResult;
import gateway.core.api.SensorDefinition;
import gateway.core.api.WriteRejectedException;
import gateway.core.testing.SimulatedDevice;
import gateway.core.testing.TestDriver;

/** A service that says "not before T" (a cloud API's quota): the device shows rate limited and waits until T. */
class RateLimitedStateTest {

    private final ManagerFixture f = new ManagerFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    /** The test driver's sessions, refusing every read while {@link #until} lies ahead. */
    static final class QuotaDriver extends TestDriver {
        volatile Instant until;
        final AtomicInteger attempts = new AtomicInteger();

        QuotaDriver() {
            super("model-q");
        }

        @Override
        public DeviceSession open(ConnectionConfig connection, DeviceConfig deviceConfig) throws DeviceException {
            DeviceSession real = super.open(connection, deviceConfig);
            return new DeviceSession() {
                @Override
                public ReadResult read(List<SensorDefinition> sensors) throws DeviceException {
                    attempts.incrementAndGet();
                    Instant u = until;
                    if (u != null) {
                        throw new DeviceRateLimitedException("API day limit reached; no calls until " + u, u);
                    }
                    return real.read(sensors);
                }

                @Override
                public void write(SensorDefinition sensor, double value) throws DeviceException {
                    real.write(sensor, value);
                }

                @Override
                public boolean connected() {
                    return real.connected();
                }

                @Override
                public void close() {
                    real.close();
                }
            };
        }
    }

    @Test
    void rateLimitedDeviceShowsTheResetTimeAndIsNotPolledBeforeIt() throws Exception {
        QuotaDriver driver = new QuotaDriver();
        f.registry.bindDriver(driver);
        SimulatedDevice device = f.simulator();
        f.start();
        Heatpump d = ManagerFixture.definition("Cloud", device.port());
        Heatpump hp = f.manager.create(new Heatpump("", d.name(), TestDriver.MANUFACTURER, "model-q", d.connection(),
                d.deviceConfig(), 1, true, null, null));
        f.await("online", () -> f.status(hp.id()).state() == DeviceState.ONLINE);

        Instant reset = f.time.now().plus(Duration.ofMinutes(20));
        driver.until = reset;
        f.await("rate limited", () -> f.status(hp.id()).state() == DeviceState.RATE_LIMITED);
        DeviceStatus limited = f.status(hp.id());
        assertEquals(reset, limited.nextAttempt(), "the next attempt is the reset time, not a backoff");
        assertTrue(limited.lastError().contains(reset.toString()), limited.lastError());
        int attempts = driver.attempts.get();
        f.time.advance(Duration.ofMinutes(19));
        assertEquals(attempts, driver.attempts.get(), "no call before the reset");
        assertEquals(DeviceState.RATE_LIMITED, f.status(hp.id()).state());

        driver.until = null;
        f.await("online after the reset", () -> f.status(hp.id()).state() == DeviceState.ONLINE);
        assertTrue(!f.time.now().isBefore(reset));
    }

    @Test
    void aWriteToARateLimitedDeviceIsNotSentAndSaysWhenToTryAgain() throws Exception {
        QuotaDriver driver = new QuotaDriver();
        f.registry.bindDriver(driver);
        SimulatedDevice device = f.simulator();
        f.start();
        f.manager.setWriteEnabled(true, "admin");
        Heatpump d = ManagerFixture.definition("Cloud", device.port());
        Heatpump hp = f.manager.create(new Heatpump("", d.name(), TestDriver.MANUFACTURER, "model-q", d.connection(),
                d.deviceConfig(), 1, true, null, null));
        f.await("online", () -> f.status(hp.id()).state() == DeviceState.ONLINE);
        Instant reset = f.time.now().plus(Duration.ofHours(3));
        driver.until = reset;
        f.await("rate limited", () -> f.status(hp.id()).state() == DeviceState.RATE_LIMITED);

        DeviceRateLimitedException e = assertThrows(DeviceRateLimitedException.class,
                () -> f.manager.write(hp.id(), "setpoint_room", 21, "alice"));
        assertEquals(reset, e.retryAt());
        assertTrue(e.getMessage().contains("rate limited until " + reset), e.getMessage());
        assertEquals(0, device.writes(TestDriver.ROOM_SETPOINT), "nothing reached the device");
        AuditLog.Entry audited = f.audit.recent(hp.id(), 1).get(0);
        assertEquals(List.of("alice", "setpoint_room", "rejected"),
                List.of(audited.actor(), audited.sensorId(), audited.result()));
        // a bad value is still named as such first: the quota does not hide a 422
        assertEquals(WriteRejectedException.Reason.OUT_OF_RANGE, assertThrows(WriteRejectedException.class,
                () -> f.manager.write(hp.id(), "setpoint_room", 99, "alice")).reason());

        driver.until = null;
        f.time.advance(Duration.ofHours(3));
        f.await("online after the reset", () -> f.status(hp.id()).state() == DeviceState.ONLINE);
        assertTrue(f.manager.write(hp.id(), "setpoint_room", 21, "alice").written());
        assertEquals(1, device.writes(TestDriver.ROOM_SETPOINT));
    }
}
