package gateway.driver.luxtronik.internal;

import java.util.List;
import java.util.Locale;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceSession;
import gateway.core.api.ReadResult;
import gateway.core.api.SensorDefinition;

/**
 * Benchmarks run by {@code .ci/bench} (not a test): exchanges and bytes per poll and the poll cycle against the
 * simulator over TCP, for the gateway's session (one 3004 per poll; 3003 and 3005 every 10th poll) and, in the
 * same run, the original system's approach: one full calculations dump (3004) per read group, with its 3 groups,
 * i.e. 3 dumps per poll, each on its own connection as its client did.
 */
public final class LuxtronikPollBenchmark {

    private LuxtronikPollBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        pollCycle(0, 100);
        pollCycle(20, 20);
    }

    static void pollCycle(int latencyMillis, int polls) throws Exception {
        List<SensorDefinition> sensors = LuxtronikMap.sensors().stream().filter(SensorDefinition::readable).toList();
        try (LuxtronikSimulator sim = LuxtronikSimulator.start(0, LuxtronikSimulatorService.DEFAULT_FIRMWARE)) {
            sim.latencyMillis(latencyMillis);
            ConnectionConfig connection = new ConnectionConfig("127.0.0.1", sim.port(), 1);

            // the original: 3 read groups, each a full 3004 calculations dump on a fresh connection
            LuxtronikClient client = new LuxtronikClient("127.0.0.1", sim.port(), 3000, 3000, 10_000);
            for (int warm = 0; warm < Math.min(polls, 10); warm++) {
                client.read(false, false);
            }
            int originalExchanges = 0;
            long originalBytes = 0;
            long t0 = System.nanoTime();
            for (int p = 0; p < polls; p++) {
                for (int group = 0; group < 3; group++) {
                    LuxtronikClient.Tables t = client.read(false, false);
                    originalExchanges += t.requests();
                    originalBytes += t.bytes();
                }
            }
            double originalMs = (System.nanoTime() - t0) / 1e6 / polls;

            DeviceSession session = new LuxtronikDriver().open(connection, DeviceConfig.empty());
            try {
                for (int warm = 0; warm < Math.min(polls, 10); warm++) {
                    session.read(sensors);
                }
                int exchanges = 0;
                long bytes = 0;
                int minExchanges = Integer.MAX_VALUE;
                int maxExchanges = 0;
                t0 = System.nanoTime();
                for (int p = 0; p < polls; p++) {
                    ReadResult r = session.read(sensors);
                    exchanges += r.requests();
                    bytes += r.bytes();
                    minExchanges = Math.min(minExchanges, r.requests());
                    maxExchanges = Math.max(maxExchanges, r.requests());
                }
                double gatewayMs = (System.nanoTime() - t0) / 1e6 / polls;
                System.out.printf(Locale.ROOT, "Luxtronik at %2d ms latency, %d sensors, %d polls:%n", latencyMillis,
                        sensors.size(), polls);
                System.out.printf(Locale.ROOT, "  gateway:  %.2f exchanges per poll (%d..%d), %.0f bytes per poll,"
                                + " %.2f ms per poll%n", exchanges / (double) polls, minExchanges, maxExchanges,
                        bytes / (double) polls, gatewayMs);
                System.out.printf(Locale.ROOT, "  original (3 groups x full 3004 dump): %.2f exchanges, %.0f bytes,"
                                + " %.2f ms per poll | gateway %.2fx exchanges, %.2fx bytes, %.2fx time%n",
                        originalExchanges / (double) polls, originalBytes / (double) polls, originalMs,
                        exchanges / (double) originalExchanges, bytes / (double) originalBytes,
                        gatewayMs / originalMs);
            } finally {
                session.close();
            }
        }
    }
}
