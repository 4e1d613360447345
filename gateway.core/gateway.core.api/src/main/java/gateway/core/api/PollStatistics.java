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
     * Upper bounds of the poll lateness histogram, in seconds: from "on time" (a few ms of scheduling) to a poll that
     * missed its slot by a third of a 30 s interval.
     */
    double[] LATENESS_BUCKETS = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };

    /**
     * @param cumulative observations at most each bound of the histogram's buckets ({@link #DURATION_BUCKETS} or
     *                   {@link #LATENESS_BUCKETS}), in order
     * @param count      all observations
     * @param sumSeconds their total
     */
    record Histogram(long[] cumulative, long count, double sumSeconds) {
    }

    Histogram pollDurations();

    /**
     * How late polls started against their slot on the device's schedule, in {@link #LATENESS_BUCKETS}. Only polls
     * due on the schedule count: the first poll after a start, a reconfiguration or a failure has no slot.
     *
     * @since 2.2.0
     */
    Histogram pollLateness();

    /** Polls by result ({@code ok}, {@code degraded}, {@code rejected}, {@code unreachable}, {@code failed}). */
    Map<String, Long> pollsByResult();

    /** Protocol requests sent by successful polls. */
    long protocolRequests();

    /** A lock-free implementation: poll threads only add. */
    final class Counters implements PollStatistics {
        private final Buckets durations = new Buckets(DURATION_BUCKETS);
        private final Buckets lateness = new Buckets(LATENESS_BUCKETS);
        private final LongAdder requests = new LongAdder();
        private final Map<String, LongAdder> results = new ConcurrentHashMap<>();

        public void record(String result, long nanos, int requestCount) {
            results.computeIfAbsent(result, k -> new LongAdder()).increment();
            requests.add(requestCount);
            if (nanos > 0) {
                durations.add(nanos);
            }
        }

        /** A poll due on its slot started {@code nanos} after it (0 when on time or, by clock jitter, early). */
        public void recordLateness(long nanos) {
            lateness.add(Math.max(0, nanos));
        }

        @Override
        public Histogram pollDurations() {
            return durations.snapshot();
        }

        @Override
        public Histogram pollLateness() {
            return lateness.snapshot();
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

        /** One histogram's counters: each observation in the first bucket whose bound it does not exceed. */
        private static final class Buckets {
            private final double[] bounds;
            private final LongAdder[] buckets;
            private final LongAdder count = new LongAdder();
            private final LongAdder sumNanos = new LongAdder();

            Buckets(double[] bounds) {
                this.bounds = bounds;
                this.buckets = new LongAdder[bounds.length];
                for (int i = 0; i < buckets.length; i++) {
                    buckets[i] = new LongAdder();
                }
            }

            void add(long nanos) {
                double seconds = nanos / 1e9;
                count.increment();
                sumNanos.add(nanos);
                for (int i = 0; i < bounds.length; i++) {
                    if (seconds <= bounds[i]) {
                        buckets[i].increment();
                        break;
                    }
                }
            }

            Histogram snapshot() {
                long[] cumulative = new long[buckets.length];
                long running = 0;
                for (int i = 0; i < buckets.length; i++) {
                    running += buckets[i].sum();
                    cumulative[i] = running;
                }
                return new Histogram(cumulative, Math.max(running, count.sum()), sumNanos.sum() / 1e9);
            }
        }
    }
}
