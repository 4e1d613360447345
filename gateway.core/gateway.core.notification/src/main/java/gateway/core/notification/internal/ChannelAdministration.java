package gateway.core.notification.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.Notification;
import gateway.core.api.NotificationChannel;
import gateway.core.api.NotificationChannelStore;
import gateway.core.api.NotificationChannelStore.ChannelConfig;
import gateway.core.api.NotificationChannels;
import gateway.core.api.NotificationDeliveryException;

/**
 * Channels as the API sees them: checked by their kind before they are stored, secrets masked on the way out, a
 * mask sent back meaning "keep the stored secret". Logs name channels by id and type, never their settings.
 */
@Component(service = NotificationChannels.class)
public final class ChannelAdministration implements NotificationChannels {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelAdministration.class);
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final int MAX_NAME = 200;

    private final NotificationChannelStore store;
    private final ChannelKinds kinds;
    private final Clock clock;

    @Activate
    public ChannelAdministration(@Reference NotificationChannelStore store) {
        this(store, new ChannelKinds(), Clock.systemUTC());
    }

    ChannelAdministration(NotificationChannelStore store, ChannelKinds kinds, Clock clock) {
        this.store = store;
        this.kinds = kinds;
        this.clock = clock;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addChannel(NotificationChannel channel) {
        kinds.add(channel);
    }

    void removeChannel(NotificationChannel channel) {
        kinds.remove(channel);
    }

    @Override
    public List<ChannelType> types() {
        return kinds.all().stream().map(k -> new ChannelType(k.type(), k.description(), k.settings())).toList();
    }

    @Override
    public List<ChannelConfig> list() {
        return store.list().stream().map(this::masked).toList();
    }

    @Override
    public Optional<ChannelConfig> get(String id) {
        return store.get(id).map(this::masked);
    }

    @Override
    public ChannelConfig save(ChannelConfig channel) throws InvalidConfigurationException {
        List<String> problems = new ArrayList<>();
        if (channel.id() != null && !channel.id().isBlank() && !ID.matcher(channel.id()).matches()) {
            problems.add("'id' may hold letters, digits, '_' and '-' (at most 64)");
        }
        String name = channel.name() == null ? "" : channel.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            problems.add("'name' is required (at most " + MAX_NAME + " characters)");
        }
        Optional<NotificationChannel> kind = kinds.find(channel.type());
        if (kind.isEmpty()) {
            problems.add("unknown channel type '" + channel.type() + "'; installed: "
                    + String.join(", ", kinds.all().stream().map(NotificationChannel::type).toList()));
            throw new InvalidConfigurationException(problems);
        }
        Optional<ChannelConfig> stored = channel.id() == null || channel.id().isBlank() ? Optional.empty()
                : store.get(channel.id());
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : channel.settings().entrySet()) {
            if (e.getValue() == null || e.getValue().isBlank()) {
                continue;
            }
            if (MASK.equals(e.getValue())) {
                String kept = stored.filter(s -> s.type().equals(channel.type()))
                        .map(s -> s.settings().get(e.getKey())).orElse(null);
                if (kept == null || !isSecret(kind.get(), e.getKey())) {
                    problems.add("'" + e.getKey() + "': send the value, not the mask");
                    continue;
                }
                settings.put(e.getKey(), kept);
            } else {
                settings.put(e.getKey(), e.getValue().strip());
            }
        }
        try {
            kind.get().validate(settings);
        } catch (InvalidConfigurationException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        ChannelConfig saved = store.save(new ChannelConfig(channel.id(), channel.type(), name, channel.enabled(),
                settings, clock.instant()));
        LOG.info("notification channel {} ({}) saved, enabled={}", saved.id(), saved.type(), saved.enabled());
        return masked(saved);
    }

    @Override
    public boolean delete(String id) {
        boolean deleted = store.delete(id);
        if (deleted) {
            LOG.info("notification channel {} deleted", id);
        }
        return deleted;
    }

    @Override
    public Optional<TestResult> test(String id) {
        Optional<ChannelConfig> channel = store.get(id);
        if (channel.isEmpty()) {
            return Optional.empty();
        }
        Optional<NotificationChannel> kind = kinds.find(channel.get().type());
        if (kind.isEmpty()) {
            return Optional.of(new TestResult(false, "channel type '" + channel.get().type() + "' is not installed",
                    true));
        }
        String key = "test-" + UUID.randomUUID();
        Notification message = new Notification(key, "Heatpump Gateway test",
                "Test message for channel '" + channel.get().name() + "': notifications reach you here.", "info",
                List.of(id), null, "test", clock.instant());
        try {
            kind.get().send(channel.get().settings(), message, key + "/" + id);
            LOG.info("notification channel {} ({}) test delivered", id, channel.get().type());
            return Optional.of(new TestResult(true, null, false));
        } catch (NotificationDeliveryException e) {
            LOG.info("notification channel {} ({}) test failed: {}", id, channel.get().type(), e.getMessage());
            return Optional.of(new TestResult(false, e.getMessage(), e.retryable()));
        }
    }

    private static boolean isSecret(NotificationChannel kind, String setting) {
        return kind.settings().stream().anyMatch(s -> s.name().equals(setting) && s.secret());
    }

    /** Secret values become the mask; with the kind not installed nobody knows which are secret, so all are. */
    private ChannelConfig masked(ChannelConfig c) {
        Optional<NotificationChannel> kind = kinds.find(c.type());
        Map<String, String> out = new LinkedHashMap<>();
        c.settings().forEach((k, v) -> out.put(k, kind.isEmpty() || isSecret(kind.get(), k) ? MASK : v));
        return new ChannelConfig(c.id(), c.type(), c.name(), c.enabled(), out, c.updatedAt());
    }
}
