package gateway.web.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.NotificationChannelStore.ChannelConfig;
import gateway.core.api.NotificationChannels;
import gateway.core.api.NotificationOutbox;
import gateway.core.api.UserStore.Role;

/**
 * {@code /notifications}: the configured channels (admin changes them, viewers read them with secrets masked), a
 * test message per channel, and the outbox with each entry's state. Both services come from
 * gateway.core.notification; while it is not running these endpoints answer 503.
 */
final class NotificationResource {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationResource.class);
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 5000;

    /** A channel on the way in; a list setting may be a JSON array, a number may be a number. */
    record ChannelInput(String id, String type, String name, Boolean enabled, Map<String, JsonNode> settings) {
    }

    record ChannelView(String id, String type, String name, boolean enabled, Map<String, String> settings,
                       Instant updatedAt) {
        static ChannelView of(ChannelConfig c) {
            return new ChannelView(c.id(), c.type(), c.name(), c.enabled(), c.settings(), c.updatedAt());
        }
    }

    record OutboxEntryView(long id, String notificationKey, String channelId, String state, int attempts,
                           Instant nextAttempt, String lastError, Instant deliveredAt, String title, String message,
                           String severity, String heatpumpId, String source, Instant createdAt) {
        static OutboxEntryView of(NotificationOutbox.Entry e) {
            return new OutboxEntryView(e.id(), e.notification().key(), e.channelId(),
                    e.state().name().toLowerCase(Locale.ROOT), e.attempts(), e.nextAttempt(), e.lastError(),
                    e.deliveredAt(), e.notification().title(), e.notification().message(),
                    e.notification().severity(), e.notification().heatpumpId(), e.notification().source(),
                    e.notification().createdAt());
        }
    }

    volatile NotificationChannels channels;
    volatile NotificationOutbox outbox;

    void register(Router router) {
        router.add("GET", "/notifications/channel-types", Role.VIEWER,
                        "Installed channel types and the settings each takes (which are secret)",
                        r -> channels().types())
                .add("GET", "/notifications/channels", Role.VIEWER, "Notification channels, secrets masked",
                        r -> channels().list().stream().map(ChannelView::of).toList())
                .add("POST", "/notifications/channels", Role.ADMIN,
                        "Create a channel ({\"type\",\"name\",\"enabled\",\"settings\"})", this::create)
                .add("GET", "/notifications/channels/{id}", Role.VIEWER, "One channel, secrets masked",
                        r -> ChannelView.of(channels().get(r.param("id")).orElseThrow(() -> unknown(r))))
                .add("PUT", "/notifications/channels/{id}", Role.ADMIN,
                        "Replace a channel; a secret sent back masked keeps its stored value", this::update)
                .add("DELETE", "/notifications/channels/{id}", Role.ADMIN, "Delete a channel", this::delete)
                .add("POST", "/notifications/channels/{id}/test", Role.ADMIN,
                        "Send a test message now (not through the outbox); says whether it was delivered",
                        this::test)
                .add("GET", "/notifications/outbox", Role.VIEWER,
                        "Outbox entries, newest first (?state=pending|delivered|failed&limit=)", this::outbox);
    }

    private NotificationChannels channels() {
        NotificationChannels c = channels;
        if (c == null) {
            throw ApiException.unavailable("notifications-unavailable", "Notifications unavailable",
                    "the notification bundle is not running");
        }
        return c;
    }

    private NotificationOutbox outboxService() {
        NotificationOutbox o = outbox;
        if (o == null) {
            throw ApiException.unavailable("notifications-unavailable", "Notifications unavailable",
                    "the notification bundle is not running");
        }
        return o;
    }

    private static ApiException unknown(ApiRequest request) {
        return ApiException.notFound("no notification channel '" + request.param("id") + "'");
    }

    private Object create(ApiRequest request) throws Exception {
        ChannelInput in = request.body(ChannelInput.class);
        NotificationChannels service = channels();
        if (in.id() != null && !in.id().isBlank() && service.get(in.id()).isPresent()) {
            throw new ApiException(409, "conflict", "Conflict", "a channel '" + in.id() + "' exists already", null);
        }
        ChannelConfig saved = service.save(config(in.id(), in));
        LOG.info("notification channel {} ({}) created by {}", saved.id(), saved.type(), request.actor());
        return Reply.created(ApiServlet.MOUNT + "/notifications/channels/" + saved.id(), ChannelView.of(saved));
    }

    private Object update(ApiRequest request) throws Exception {
        String id = request.param("id");
        ChannelInput in = request.body(ChannelInput.class);
        if (in.id() != null && !in.id().equals(id)) {
            throw ApiException.badRequest("the body's id '" + in.id() + "' differs from the path's '" + id + "'");
        }
        NotificationChannels service = channels();
        if (service.get(id).isEmpty()) {
            throw unknown(request);
        }
        ChannelConfig saved = service.save(config(id, in));
        LOG.info("notification channel {} ({}) changed by {}", saved.id(), saved.type(), request.actor());
        return ChannelView.of(saved);
    }

    private Object delete(ApiRequest request) {
        if (!channels().delete(request.param("id"))) {
            throw unknown(request);
        }
        LOG.info("notification channel {} deleted by {}", request.param("id"), request.actor());
        return Reply.noContent();
    }

    private Object test(ApiRequest request) {
        return channels().test(request.param("id")).orElseThrow(() -> unknown(request));
    }

    private Object outbox(ApiRequest request) {
        String stateText = request.query("state");
        NotificationOutbox.State state = null;
        if (stateText != null && !stateText.isBlank()) {
            try {
                state = NotificationOutbox.State.valueOf(stateText.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("'state' must be pending, delivered or failed, got '" + stateText + "'");
            }
        }
        int limit = DEFAULT_LIMIT;
        String limitText = request.query("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.strip());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiException.badRequest("'limit' must be 1.." + MAX_LIMIT + ", got '" + limitText + "'");
            }
        }
        return outboxService().entries(state, limit).stream().map(OutboxEntryView::of).toList();
    }

    /** Settings as text: strings as they are, numbers as written, arrays of strings joined by commas. */
    private static ChannelConfig config(String id, ChannelInput in) {
        List<String> errors = new ArrayList<>();
        if (in.type() == null || in.type().isBlank()) {
            errors.add("type: required (see GET /api/notifications/channel-types)");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        if (in.settings() != null) {
            in.settings().forEach((name, value) -> {
                if (value == null || value.isNull()) {
                    return;
                }
                if (value.isTextual() || value.isNumber()) {
                    settings.put(name, value.asText());
                } else if (value.isArray()) {
                    List<String> items = new ArrayList<>();
                    value.forEach(item -> {
                        if (item.isTextual() || item.isNumber()) {
                            items.add(item.asText());
                        } else {
                            errors.add("settings." + name + ": a list may hold only texts and numbers");
                        }
                    });
                    settings.put(name, String.join(",", items));
                } else {
                    errors.add("settings." + name + ": must be a text, a number or a list of them");
                }
            });
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid("invalid channel", errors);
        }
        return new ChannelConfig(id, in.type() == null ? null : in.type().strip(), in.name(),
                in.enabled() == null || in.enabled(), settings, null);
    }
}
