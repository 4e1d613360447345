package gateway.core.notification.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import gateway.core.api.NotificationChannel;

/**
 * The installed channel kinds by type, fed by a component's whiteboard reference. When two services claim one type
 * the first stays; the second is used once the first goes.
 */
final class ChannelKinds {

    private final Map<String, List<NotificationChannel>> byType = new ConcurrentHashMap<>();

    void add(NotificationChannel channel) {
        byType.compute(channel.type(), (type, list) -> {
            List<NotificationChannel> next = new java.util.ArrayList<>(list == null ? List.of() : list);
            next.add(channel);
            return List.copyOf(next);
        });
    }

    void remove(NotificationChannel channel) {
        byType.computeIfPresent(channel.type(), (type, list) -> {
            List<NotificationChannel> next = list.stream().filter(c -> c != channel).toList();
            return next.isEmpty() ? null : next;
        });
    }

    Optional<NotificationChannel> find(String type) {
        List<NotificationChannel> list = type == null ? null : byType.get(type);
        return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    List<NotificationChannel> all() {
        return byType.values().stream().map(l -> l.get(0))
                .sorted(Comparator.comparing(NotificationChannel::type)).toList();
    }
}
