package gateway.core.api;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.annotation.versioning.ProviderType;

/** Poll counters of all devices since start, kept by the manager, for self-metrics. */
@ProviderType
public interface PollStatistics {

    /** Upper bounds of the poll duration histogram, in seconds. */
    double[] DURATION_BUCKETS = { 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30 };

    /**
     * @param cumulative polls at most as long as each bound of {@link #DURATION_BUCKETS}, in order
     * @param count      all polls that ended with a duration
     * @param sumSeconds their total duration
     */
    record Histogram(long[] cumulative, long count, double sumSeconds) {
    }

    Histogram pollDurations();

    /** Polls by result ({@code ok}, {@code degraded}, {@code rejected}, {@code unreachable}, {@code failed}). */
    Map<String, Long> pollsByResult();

    /** Protocol requests sent by successful polls. */
    long protocolRequests();

    /** A lock-free implementation: poll threads only add. */
    final class Counters implements PollStatistics {
        private final LongAdder[] buckets = new LongAdder[DURATION_BUCKETS.length];
        private final LongAdder count = new LongAdder();
        private final LongAdder sumNanos = new LongAdder();
        private final LongAdder requests = new LongAdder();
        private final Map<String, LongAdder> results = new ConcurrentHashMap<>();

        public Counters() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        public void record(String result, long nanos, int requestCount) {
            results.computeIfAbsent(result, k -> new LongAdder()).increment();
            requests.add(requestCount);
            if (nanos > 0) {
                double seconds = nanos / 1e9;
                count.increment();
                sumNanos.add(nanos);
                for (int i = 0; i < buckets.length; i++) {
                    if (seconds <= DURATION_BUCKETS[i]) {
                        buckets[i].increment();
                        break;
                    }
                }
            }
        }

        @Override
        public Histogram pollDurations() {
            long[] cumulative = new long[buckets.length];
            long running = 0;
            for (int i = 0; i < buckets.length; i++) {
                running += buckets[i].sum();
                cumulative[i] = running;
            }
            return new Histogram(cumulative, Math.max(running, count.sum()), sumNanos.sum() / 1e9);
        }

        @Override
        public Map<String, Long> pollsByResult() {
            Map<String, Long> out = new TreeMap<>();
            results.forEach((k, v) -> out.put(k, v.sum()));
            return out;
        }

        @Override
        public long protocolRequests() {
            return requests.sum();
        }
    }
}
