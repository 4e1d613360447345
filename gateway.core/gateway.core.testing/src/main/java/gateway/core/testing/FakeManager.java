package gateway.core.testing;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceState;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.SensorDefinition;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.ListenerStats;
import gateway.core.api.PollStatistics;

/** The few manager answers the metrics code reads, set by the test. */
public final class FakeManager {

    public final Map<String, Heatpump> heatpumps = new LinkedHashMap<>();
    public final Map<String, List<SensorDefinition>> sensors = new LinkedHashMap<>();
    public final Map<String, DeviceSnapshot> latest = new LinkedHashMap<>();
    public final Map<String, DeviceState> states = new LinkedHashMap<>();
    public final PollStatistics.Counters polls = new PollStatistics.Counters();
    public final ListenerStats listeners = () -> List.of(new ListenerStats.ListenerStat("HistoryRecorder-7", 10, 2, 1));

    public void add(String id, String name, String manufacturer, String model, List<SensorDefinition> defs) {
        heatpumps.put(id, new Heatpump(id, name, manufacturer, model,
                new ConnectionConfig("127.0.0.1", 502, 1, 1000, Map.of()), null, 30, true, Instant.EPOCH,
                Instant.EPOCH));
        sensors.put(id, List.copyOf(defs));
        states.put(id, DeviceState.ONLINE);
    }

    public HeatpumpManager manager() {
        return (HeatpumpManager) Proxy.newProxyInstance(HeatpumpManager.class.getClassLoader(),
                new Class<?>[] { HeatpumpManager.class }, (proxy, method, args) -> {
                    String id = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
                    switch (method.getName()) {
                        case "heatpumps":
                            return new ArrayList<>(heatpumps.values());
                        case "heatpump":
                            return Optional.ofNullable(heatpumps.get(id));
                        case "sensors":
                            known(id);
                            return sensors.get(id);
                        case "latest":
                            known(id);
                            return Optional.ofNullable(latest.get(id));
                        case "status":
                            known(id);
                            return new DeviceStatus(id, states.get(id), 0, 0, null, null, null, 3, 100, 12, null, 2,
                                    sensors.get(id).size());
                        case "toString":
                            return "FakeManager";
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private void known(String id) throws UnknownHeatpumpException {
        if (!heatpumps.containsKey(id)) {
            throw new UnknownHeatpumpException(id);
        }
    }
}
