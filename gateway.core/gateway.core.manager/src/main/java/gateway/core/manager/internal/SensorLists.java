package gateway.core.manager.internal;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import gateway.core.api.SensorDefinition;

/**
 * One instance of each distinct sensor list, shared by every device whose driver lists the same sensors. Drivers
 * build their definitions anew for each device (a register map per configuration), and at a hundred sensors with
 * their label maps and sentinel sets that was about 40 KB of heap per device, the same for every device of a model.
 * Definitions are values (records), so a device cannot tell a shared list from its own. A list nobody uses any more
 * is dropped with its last device.
 */
final class SensorLists {

    /** Keys and values are the same list: the key weakly held by the map, the value by its reference. */
    private final Map<List<SensorDefinition>, WeakReference<List<SensorDefinition>>> lists = new WeakHashMap<>();

    /** The shared list equal to {@code sensors} (an immutable list), which becomes the shared one if none is. */
    synchronized List<SensorDefinition> canonical(List<SensorDefinition> sensors) {
        if (sensors.isEmpty()) {
            return sensors;
        }
        WeakReference<List<SensorDefinition>> ref = lists.get(sensors);
        List<SensorDefinition> known = ref == null ? null : ref.get();
        if (known != null) {
            return known;
        }
        lists.put(sensors, new WeakReference<>(sensors));
        return sensors;
    }

    synchronized int size() {
        return lists.size();
    }
}
