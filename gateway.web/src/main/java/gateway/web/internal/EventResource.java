package gateway.web.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceStatus;
import gateway.core.api.ReadingListener;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.UserStore.Role;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /events}: live updates as Server-Sent Events. The manager hands snapshots and state changes to this
 * {@link ReadingListener} on its own listener thread; each client has a small bounded queue, and a client that
 * does not keep up is dropped (told so, then disconnected) instead of ever holding up the feed. Each stream speaks
 * the language it asked for ({@code ?lang=} or {@code Accept-Language}, as the other answers): a snapshot is written
 * once per language its listeners speak.
 */
final class EventResource implements ReadingListener {

    private static final Logger LOG = LoggerFactory.getLogger(EventResource.class);
    static final int CLIENT_QUEUE = 64;
    static final long KEEPALIVE_MILLIS = 15_000;
    private static final String CLOSE = "";

    /** One connected stream. */
    static final class Client {
        final String heatpumpId;
        /** The language of its sensor names and enum labels. */
        final Locale language;
        final BlockingQueue<String> queue = new ArrayBlockingQueue<>(CLIENT_QUEUE);
        volatile boolean dropped;

        Client(String heatpumpId, Locale language) {
            this.heatpumpId = heatpumpId;
            this.language = language;
        }

        boolean wants(String id) {
            return heatpumpId == null || heatpumpId.equals(id);
        }

        void offer(String event) {
            if (!dropped && !queue.offer(event)) {
                dropped = true;
                queue.clear();
                queue.offer(CLOSE);
            }
        }
    }

    private final GatewayServices services;
    private final DataResource data;
    private final ObjectMapper mapper = ApiJson.create();
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong eventIds = new AtomicLong();
    final AtomicLong droppedClients = new AtomicLong();
    volatile int maxClients = 32;

    EventResource(GatewayServices services) {
        this.services = services;
        this.data = new DataResource(services);
    }

    void register(Router router) {
        router.add("GET", "/events", Role.VIEWER,
                "Live updates as Server-Sent Events: snapshot and state events (?heatpump_id=)", this::stream);
    }

    int clientCount() {
        return clients.size();
    }

    @Override
    public void snapshot(DeviceSnapshot snapshot) {
        if (clients.isEmpty()) {
            return;
        }
        String id = snapshot.heatpumpId();
        services.manager.heatpump(id).ifPresent(h -> publish(id, "snapshot", language -> {
            try {
                return data.data(id, services.labels(h, language));
            } catch (UnknownHeatpumpException e) {
                return null; // deleted meanwhile
            }
        }));
    }

    @Override
    public void stateChanged(DeviceStatus status) {
        if (clients.isEmpty()) {
            return;
        }
        publish(status.heatpumpId(), "state", new StateEvent(status.heatpumpId(), ApiModel.lower(status.state()), status.lastError(),
                        status.lastSuccess() == null ? null : status.lastSuccess().toString()));
    }

    record StateEvent(String heatpumpId, String state, String lastError, String lastSuccess) {
    }

    void publish(String heatpumpId, String type, Object body) {
        publish(heatpumpId, type, language -> body);
    }

    /** Sends {@code bodyIn} a client's language to every client of that device, built once per language. */
    void publish(String heatpumpId, String type, Function<Locale, Object> bodyIn) {
        long eventId = eventIds.incrementAndGet();
        Map<Locale, Optional<String>> events = new HashMap<>(2);
        for (Client c : clients) {
            if (c.wants(heatpumpId)) {
                Optional<String> event = events.computeIfAbsent(c.language, language -> {
                    Object body = bodyIn.apply(language);
                    if (body == null) {
                        return Optional.empty(); // the device went away meanwhile
                    }
                    try {
                        return Optional.of("id: " + eventId + "\nevent: " + type + "\ndata: "
                                + mapper.writeValueAsString(body) + "\n\n");
                    } catch (IOException e) {
                        LOG.warn("event for {} not serialisable: {}", heatpumpId, e.toString());
                        return Optional.empty();
                    }
                });
                if (event.isEmpty()) {
                    continue;
                }
                c.offer(event.get());
                if (c.dropped) {
                    droppedClients.incrementAndGet();
                }
            }
        }
    }

    /** Ends every stream (the servlet is going away). */
    void closeAll() {
        for (Client c : clients) {
            c.queue.clear();
            c.queue.offer(CLOSE);
        }
    }

    Client subscribe(String heatpumpId) {
        return subscribe(heatpumpId, Locale.ENGLISH);
    }

    Client subscribe(String heatpumpId, Locale language) {
        if (clients.size() >= maxClients) {
            throw ApiException.unavailable("too-many-streams", "Too many event streams",
                    "at most " + maxClients + " live event streams at once; close another one");
        }
        Client c = new Client(heatpumpId, language);
        clients.add(c);
        return c;
    }

    void unsubscribe(Client c) {
        clients.remove(c);
    }

    private Object stream(ApiRequest request) throws Exception {
        String id = request.query("heatpump_id");
        if (id != null && services.manager.heatpump(id).isEmpty()) {
            throw new UnknownHeatpumpException(id);
        }
        Client client = subscribe(id, Languages.of(request));
        HttpServletResponse response = request.servletResponse();
        try {
            response.setStatus(200);
            response.setContentType("text/event-stream;charset=utf-8");
            response.setHeader("X-Accel-Buffering", "no");
            OutputStream out = response.getOutputStream();
            // the current values first, so a page has something to show before the next poll
            StringBuilder first = new StringBuilder(": connected\nretry: 3000\n\n");
            for (var h : services.manager.heatpumps()) {
                if (client.wants(h.id())) {
                    try {
                        first.append("event: snapshot\ndata: ")
                                .append(mapper.writeValueAsString(data.data(h.id(), services.labels(h, request))))
                                .append("\n\n");
                    } catch (UnknownHeatpumpException e) {
                        // deleted meanwhile
                    }
                }
            }
            write(out, first.toString());
            while (true) {
                String event = client.queue.poll(KEEPALIVE_MILLIS, TimeUnit.MILLISECONDS);
                if (event == null) {
                    write(out, ": keepalive\n\n");
                } else if (event == CLOSE) {
                    if (client.dropped) {
                        LOG.info("event stream dropped: client too slow (heatpump filter {})", id);
                        write(out, "event: dropped\ndata: {\"reason\":\"too slow\"}\n\n");
                    }
                    break;
                } else {
                    write(out, event);
                }
            }
        } catch (IOException e) {
            // client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            unsubscribe(client);
        }
        return Reply.STREAMED;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
