package gateway.core.automation.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import gateway.core.api.Notification;
import gateway.core.api.NotificationOutbox;

/** Keeps what it is given, once per idempotency key, like the real outbox promises. */
final class RecordingOutbox implements NotificationOutbox {

    final Map<String, Notification> byKey = new LinkedHashMap<>();
    int enqueueCalls;

    @Override
    public synchronized List<Entry> enqueue(Notification n) {
        enqueueCalls++;
        if (byKey.putIfAbsent(n.key(), n) != null) {
            return List.of();
        }
        return List.of(new Entry(byKey.size(), n, "test", State.PENDING, 0, n.createdAt(), null, null));
    }

    @Override
    public synchronized List<Entry> entries(State state, int limit) {
        return List.of();
    }

    synchronized List<Notification> all() {
        return new ArrayList<>(byKey.values());
    }
}
