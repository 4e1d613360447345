package gateway.driver.viessmann.internal;

import java.time.Clock;
import java.util.Map;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;

/** Shared set-up for the driver's tests. */
final class ViCareTestSupport {

    private ViCareTestSupport() {
    }

    /** A session that has "read" the given feature list, without any HTTP. */
    static ViCareSession sessionOver(String featureList) throws Exception {
        ViCareSession s = new ViCareSession(null, DeviceConfig.empty(), Clock.systemUTC());
        s.accept(ViCareClient.JSON.readTree(featureList));
        return s;
    }

    /** The connection a device uses to reach a running simulator. */
    static ConnectionConfig connection(ViCareSimulator sim) {
        return new ConnectionConfig("127.0.0.1", sim.port(), 0, 5000, sim.connectionOptions());
    }

    static ConnectionConfig connection(ViCareSimulator sim, Map<String, String> overrides) {
        Map<String, String> o = new java.util.HashMap<>(sim.connectionOptions());
        o.putAll(overrides);
        return new ConnectionConfig("127.0.0.1", sim.port(), 0, 5000, o);
    }
}
