package gateway.core.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A simulator of a controller that speaks the real protocol on a loopback port. Driver bundles register one per
 * model; the demo mode and the tests start them.
 */
@ConsumerType
public interface HeatpumpSimulator {

    String manufacturerId();

    String modelId();

    /** Starts a simulated device on 127.0.0.1 at {@code port} (0 = any free port). */
    Running start(int port, DeviceConfig deviceConfig) throws java.io.IOException;

    /** A running simulated device. */
    interface Running extends AutoCloseable {
        int port();

        /** Delay added before each reply. */
        void latencyMillis(int millis);

        /** Drops every open connection now (the device "vanishes" for a moment). */
        void disconnectClients();

        /** The value the simulator currently serves for a sensor id, in engineering units (null when unknown). */
        Double value(String sensorId);

        /** Number of write requests received for a sensor id since start. */
        int writeCount(String sensorId);

        /** Total protocol requests served since start. */
        long requestCount();

        /**
         * Connection options a device needs to reach this simulator besides host and port (e.g. a cloud API's base
         * URL and credentials the simulator accepts); the demo mode configures its device with them.
         */
        default java.util.Map<String, String> connectionOptions() {
            return java.util.Map.of();
        }

        /** Labelled faults this simulator can inject (anomaly detection tests and evaluation); none by default. */
        default java.util.Set<String> availableFaults() {
            return java.util.Set.of();
        }

        /** Starts a labelled fault by name (one of {@link #availableFaults()}); false when unknown. */
        default boolean injectFault(String fault) {
            return false;
        }

        /** Ends a labelled fault. */
        default void clearFault(String fault) {
        }

        @Override
        void close();
    }
}
