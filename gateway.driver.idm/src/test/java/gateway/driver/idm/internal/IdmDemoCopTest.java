package gateway.driver.idm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.CopSources;
import gateway.core.api.DeviceSession;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.manager.internal.CopCalculator;
import gateway.core.modbus.ModbusDeviceSession;

/**
 * The demo's IDM pump as the gateway sees it: the simulator at the demo's time scale (60 simulated seconds per real
 * second), polled over TCP by the driver, its snapshots fed to the gateway's {@link CopCalculator} at the real times of
 * the polls. The gateway integrates electrical power 4122 over real time and takes heat from counter 1750, so the
 * counter has to advance as thermal power 1790 × real time, or the day's COP is off by the time scale.
 *
 * <p>The expected energies come from a plain FC04 client that decodes the registers as the iDM fact sheet says
 * (FLOAT32, low word first, no scaling; 1750 in kWh, 1790 and 4122 in kW), not from the driver's definitions.
 */
class IdmDemoCopTest {

    /** Real seconds between polls: the demo's default poll interval is of this order. */
    private static final double POLL_SECONDS = 5;
    private static final Instant START = Instant.parse("2026-01-15T00:10:00Z");

    private IdmSimulator sim;
    private DeviceSession session;

    @AfterEach
    void stop() {
        if (session != null) {
            session.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void demoPumpCopIsPlausibleAndHeatCounterFollowsThermalPowerOverRealTime() throws Exception {
        double scale = IdmSimulator.DEFAULT_TIME_SCALE;
        sim = IdmSimulator.start(0, 0, scale); // the demo's scale; the test owns the clock (no model thread)
        ConnectionConfig connection = new ConnectionConfig("127.0.0.1", sim.port(), 1, 2000, Map.of());
        ModbusDeviceSession.forgetRejectedBlocks(connection.endpointKey());
        IdmDriver driver = new IdmDriver();
        List<SensorDefinition> defs = driver.sensors(IdmRegisterMap.DEFAULT_CONFIG);
        CopSources sources = driver.copSources(IdmRegisterMap.DEFAULT_CONFIG).orElseThrow();
        CopCalculator cop = new CopCalculator(sources,
                defs.stream().collect(Collectors.toMap(SensorDefinition::id, Function.identity(), (a, b) -> a)),
                ZoneOffset.UTC);
        session = driver.open(connection, IdmRegisterMap.DEFAULT_CONFIG);

        try (RawIdm raw = new RawIdm(sim.port())) {
            double counterStart = raw.floatAt(1750);
            double expectedHeat = 0;     // Σ 1790 [kW] × real hours
            double expectedElectric = 0; // Σ 4122 [kW] × real hours
            double lastLive = Double.NaN;
            DeviceSnapshot enriched = null;
            int runningPolls = 0;
            // one simulated day: 86400 / 60 = 1440 real seconds, one poll every 5 real seconds
            int polls = (int) (86400 / scale / POLL_SECONDS);
            for (int k = 0; k <= polls; k++) {
                Instant at = START.plusMillis(Math.round(k * POLL_SECONDS * 1000));
                enriched = cop.enrich(new DeviceSnapshot("hp", IdmDriver.MANUFACTURER_ID, IdmDriver.MODEL_ID, at,
                        session.read(defs).readings()));
                if (k > 0) {
                    // the counter's increase since the last poll is what the step in between produced at the
                    // power this poll shows
                    expectedHeat += raw.floatAt(1790) * POLL_SECONDS / 3600;
                    expectedElectric += raw.floatAt(4122) * POLL_SECONDS / 3600;
                }
                SensorReading live = enriched.reading(CopCalculator.LIVE);
                if (live != null && raw.floatAt(1790) > 0) { // while defrosting the pump delivers no heat: COP 0
                    runningPolls++;
                    lastLive = live.value();
                    assertTrue(live.value() >= 1.5 && live.value() <= 7, "COP now " + live.value() + " at poll " + k);
                }
                sim.step(POLL_SECONDS * scale);
            }
            double counted = raw.floatAt(1750) - counterStart;
            // the step after the last poll moved the counter once more; count only up to the last poll
            counted -= raw.floatAt(1790) * POLL_SECONDS / 3600;

            SensorReading day = enriched.reading(CopCalculator.DAY);
            SensorReading month = enriched.reading(CopCalculator.MONTH);
            double independent = expectedHeat / expectedElectric;
            System.out.printf("IDM demo (scale %.0f): COP now %.2f, day %.2f, month %.2f; independent %.2f;"
                    + " heat %.3f kWh counted %.3f kWh, electricity %.3f kWh%n", scale, lastLive, value(day),
                    value(month), independent, expectedHeat, counted, expectedElectric);
            assertTrue(runningPolls > 20, "the compressor ran for a while: " + runningPolls + " polls");
            assertTrue(expectedHeat > 0.5, "heat delivered over the day: " + expectedHeat + " kWh");
            // float32 counter around 2000 kWh: steps of 0.000122 kWh; 1 % is far above that and far below 60×
            assertEquals(expectedHeat, counted, 0.01 * expectedHeat + 0.01,
                    "heat counter 1750 vs thermal power 1790 × real time (kWh)");

            assertNotNull(day, "cop_day");
            assertNotNull(month, "cop_month");
            assertTrue(day.value() >= 1.5 && day.value() <= 7, "COP today " + day.value());
            assertTrue(month.value() >= 1.5 && month.value() <= 7, "COP this month " + month.value());
            // the gateway integrates 4122 by the trapezoid rule; switching edges differ a little from Σ P × Δt
            assertEquals(independent, day.value(), 0.1 * independent, "COP today vs Σ heat / Σ electricity");
        }
    }

    private static double value(SensorReading r) {
        return r == null ? Double.NaN : r.value();
    }

    /** FC04 reads decoded from the fact sheet alone: FLOAT32, low word at N, high word at N+1, no scaling. */
    private static final class RawIdm implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        private int transaction;

        RawIdm(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(2000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        double floatAt(int address) throws IOException {
            int tid = ++transaction & 0xFFFF;
            ByteBuffer req = ByteBuffer.allocate(12);
            req.putShort((short) tid).putShort((short) 0).putShort((short) 6).put((byte) 1).put((byte) 4)
                    .putShort((short) address).putShort((short) 2);
            out.write(req.array());
            out.flush();
            byte[] header = new byte[7];
            in.readFully(header);
            int length = ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
            byte[] pdu = new byte[length - 1];
            in.readFully(pdu);
            assertEquals(tid, ((header[0] & 0xFF) << 8) | (header[1] & 0xFF), "transaction id");
            assertEquals(4, pdu[0], "function code (exception?) at " + address);
            assertEquals(4, pdu[1], "byte count");
            int low = ((pdu[2] & 0xFF) << 8) | (pdu[3] & 0xFF);
            int high = ((pdu[4] & 0xFF) << 8) | (pdu[5] & 0xFF);
            return Float.intBitsToFloat((high << 16) | low);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
