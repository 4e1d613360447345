package gateway.core.mqtt.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.MqttStatus;

/**
 * One connection to the broker through Eclipse Paho, kept up by us: reconnects with exponential backoff and jitter
 * (Paho's own automatic reconnect has neither a cap we choose nor jitter, and hides why it fails), a last will that
 * marks the gateway offline, and one publisher thread fed by a bounded queue, so whoever offers a message never
 * waits for the broker. Messages offered while the broker is away, or when the queue is full, are dropped and
 * counted; the owner republishes the latest state when the connection comes back.
 */
final class BrokerConnection implements MqttCallback {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);
    static final long BACKOFF_MIN_MILLIS = 500;
    static final long BACKOFF_MAX_MILLIS = 60_000;
    private static final int MAX_INFLIGHT = 1000;

    /** What the owner does on events; called on the connection's threads. */
    interface Handler {
        /** Connected (again): subscribe and republish; runs on the publisher thread. */
        void connected(BrokerConnection connection) throws MqttException;

        /** A message on a subscribed topic; runs on Paho's callback thread, must not block. */
        void message(String topic, MqttMessage message);
    }

    /** A message to send through the bounded queue (dropped and counted when it is full or the broker away). */
    record Outgoing(String topic, byte[] payload, int qos, boolean retained) {
    }

    private final MqttSettings settings;
    private final Handler handler;
    private final BlockingQueue<Outgoing> queue;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService connector;
    private final Thread publisher;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private volatile boolean running = true;
    private volatile MqttAsyncClient client;
    private volatile boolean connected;
    private volatile boolean announced;
    private volatile String state = MqttStatus.CONNECTING;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile Instant connectedSince;
    private int failures;

    BrokerConnection(MqttSettings settings, Handler handler) {
        this.settings = settings;
        this.handler = handler;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "gateway-mqtt-connect"));
        this.publisher = daemon(this::publishLoop, "gateway-mqtt-publish");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    void start() {
        publisher.start();
        connector.execute(this::attempt);
    }

    // ---- status

    String state() {
        return state;
    }

    String lastError() {
        return lastError;
    }

    Instant lastErrorAt() {
        return lastErrorAt;
    }

    Instant connectedSince() {
        return connected ? connectedSince : null;
    }

    long published() {
        return published.get();
    }

    long dropped() {
        return dropped.get();
    }

    long connects() {
        return connects.get();
    }

    int queued() {
        return queue.size();
    }

    /** Connected and the owner's connect work (subscriptions, gateway online) done. */
    boolean ready() {
        return connected && announced;
    }

    // ---- publishing

    /** Queues a message; never blocks. False (and counted) when the broker is away or the queue is full. */
    boolean offer(Outgoing m) {
        if (!connected || !queue.offer(m)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Counts messages the owner did not even build because the broker is away. */
    void countDropped(long n) {
        dropped.addAndGet(n);
    }

    /** Runs work on the publisher thread, before queued messages (discovery, republishing). */
    void submit(Runnable task) {
        tasks.add(task);
    }

    /**
     * Sends now, from the publisher thread, waiting for room in Paho's in-flight window rather than dropping:
     * for retained state and discovery, which must arrive once the connection stands.
     */
    void send(String topic, byte[] payload, int qos, boolean retained) {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        m.setRetained(retained);
        while (running && connected) {
            try {
                client.publish(topic, m);
                published.incrementAndGet();
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                    dropped.incrementAndGet();
                    LOG.debug("mqtt: publish to {} failed: {}", topic, e.toString());
                    return;
                }
                pause(2);
            }
        }
        dropped.incrementAndGet();
    }

    private void publishLoop() {
        while (running) {
            try {
                Runnable task = tasks.poll();
                if (task != null) {
                    if (connected) {
                        task.run();
                    }
                    continue;
                }
                Outgoing m = queue.poll(100, TimeUnit.MILLISECONDS);
                if (m != null) {
                    send(m.topic(), m.payload(), m.qos(), m.retained());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("mqtt: publishing failed", e);
            }
        }
    }

    // ---- connecting

    private void attempt() {
        if (!running) {
            return;
        }
        state = failures == 0 ? MqttStatus.CONNECTING : state;
        try {
            if (client == null) {
                client = new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
                client.setCallback(this);
            }
            client.connect(options()).waitForCompletion(30_000);
            connected = true;
            connectedSince = Instant.now();
            connects.incrementAndGet();
            failures = 0;
            LOG.info("mqtt: connected to {} as {}", settings.brokerUrl(), settings.clientId());
            submit(this::afterConnect);
        } catch (MqttException e) {
            failed(e);
        } catch (IllegalArgumentException e) {
            misconfigured("'broker.url': " + e.getMessage());
        } catch (IOException | GeneralSecurityException e) {
            misconfigured("TLS trust: " + e.getMessage());
        }
    }

    private void afterConnect() {
        try {
            handler.connected(this);
            announced = true;
            // "connected" once subscribed and announced: a command sent from now on is taken
            state = MqttStatus.CONNECTED;
        } catch (MqttException e) {
            LOG.warn("mqtt: set-up after connecting failed: {}", e.toString());
            dropConnection();
        }
    }

    private void dropConnection() {
        try {
            client.disconnectForcibly(0, 1000);
        } catch (MqttException ignored) {
            // it is going anyway
        }
        connectionLost(new IOException("set-up after connecting failed"));
    }

    private void misconfigured(String why) {
        state = MqttStatus.MISCONFIGURED;
        lastError = why;
        lastErrorAt = Instant.now();
        LOG.warn("mqtt: misconfigured, not retrying until the configuration changes: {}", why);
    }

    private void failed(MqttException e) {
        int code = e.getReasonCode();
        boolean auth = code == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                || code == MqttException.REASON_CODE_NOT_AUTHORIZED;
        state = auth ? MqttStatus.UNAUTHORIZED : MqttStatus.UNREACHABLE;
        lastError = describe(e);
        lastErrorAt = Instant.now();
        failures++;
        long delay = backoff(failures);
        LOG.warn("mqtt: cannot connect to {}: {}; next attempt in {} ms", settings.brokerUrl(), lastError, delay);
        schedule(delay);
    }

    /** Text for people, from the cause Paho wraps (connection refused, unknown host, TLS). */
    static String describe(MqttException e) {
        Throwable cause = e.getCause();
        int code = e.getReasonCode();
        // Mosquitto 2 answers a wrong password with "not authorized" (5), not "bad user name or password" (4)
        if (code == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                || code == MqttException.REASON_CODE_NOT_AUTHORIZED) {
            return "not authorized: the broker refused the user name or password, or this client";
        }
        if (cause instanceof ConnectException) {
            return "connection refused: " + cause.getMessage();
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host " + cause.getMessage();
        }
        if (cause instanceof SSLException) {
            return "TLS handshake failed: " + cause.getMessage();
        }
        return e.getMessage() + (cause == null ? "" : ": " + cause);
    }

    /** Exponential from 0.5 s to 60 s with "equal jitter": half fixed, half random, so gateways do not align. */
    static long backoff(int failures) {
        long base = BACKOFF_MIN_MILLIS << Math.min(Math.max(0, failures - 1), 16);
        base = Math.min(BACKOFF_MAX_MILLIS, base);
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    private void schedule(long delayMillis) {
        if (running) {
            try {
                connector.schedule(this::attempt, delayMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // closing
            }
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        if (!connected) {
            return;
        }
        connected = false;
        announced = false;
        state = MqttStatus.CONNECTING;
        lastError = "connection lost: " + (cause == null ? "unknown" : cause.getMessage());
        lastErrorAt = Instant.now();
        int pending = queue.size();
        queue.clear();
        dropped.addAndGet(pending);
        LOG.warn("mqtt: {}; reconnecting", lastError);
        connector.execute(() -> schedule(backoff(1)));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        handler.message(topic, message);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // counted when handed to Paho
    }

    void subscribe(String filter, int qos) throws MqttException {
        client.subscribe(filter, qos).waitForCompletion(10_000);
    }

    MqttConnectOptions options() throws IOException, GeneralSecurityException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        // a clean session: commands sent while we were away are not delivered later (never queued)
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(10);
        o.setMaxInflight(MAX_INFLIGHT);
        if (!settings.username().isEmpty()) {
            o.setUserName(settings.username());
            o.setPassword(settings.password().toCharArray());
        }
        o.setWill(new Topics(settings.topicPrefix(), settings.discoveryPrefix()).gatewayAvailability(),
                Payloads.text("offline"), 1, true);
        if (settings.tls()) {
            o.setSocketFactory(socketFactory(settings));
        }
        return o;
    }

    /** The JVM's trusted CAs, or only those of the configured CA file or trust store. */
    static SSLSocketFactory socketFactory(MqttSettings s) throws IOException, GeneralSecurityException {
        KeyStore trust = null;
        if (!s.caFile().isEmpty()) {
            trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(Path.of(s.caFile()))) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("ca-" + i++, c);
                }
                if (i == 0) {
                    throw new GeneralSecurityException("no certificate in " + s.caFile());
                }
            }
        } else if (!s.trustStore().isEmpty()) {
            String type = s.trustStore().toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
            trust = KeyStore.getInstance(type);
            try (InputStream in = Files.newInputStream(Path.of(s.trustStore()))) {
                trust.load(in, s.trustStorePassword().isEmpty() ? null : s.trustStorePassword().toCharArray());
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    /** Marks the gateway offline (a clean disconnect sends no last will), then closes everything. */
    void close() {
        running = false;
        connector.shutdownNow();
        publisher.interrupt();
        MqttAsyncClient c = client;
        if (c != null) {
            try {
                if (c.isConnected()) {
                    MqttMessage offline = new MqttMessage(Payloads.text("offline"));
                    offline.setQos(1);
                    offline.setRetained(true);
                    c.publish(new Topics(settings.topicPrefix(), settings.discoveryPrefix()).gatewayAvailability(),
                            offline).waitForCompletion(2000);
                    c.disconnect(1000).waitForCompletion(2000);
                }
            } catch (MqttException e) {
                LOG.debug("mqtt: clean disconnect failed: {}", e.toString());
            }
            try {
                c.close(true);
            } catch (MqttException ignored) {
                // closing anyway
            }
        }
        connected = false;
        try {
            publisher.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
