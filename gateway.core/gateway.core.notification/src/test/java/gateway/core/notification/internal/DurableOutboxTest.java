package gateway.core.notification.internal;

import gateway.core.testing.ManualClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.Notification;
import gateway.core.api.NotificationChannelStore.ChannelConfig;
import gateway.core.api.NotificationOutbox.Entry;
import gateway.core.api.NotificationOutbox.State;
import gateway.core.store.internal.Database;
import gateway.core.store.internal.H2NotificationChannelStore;
import gateway.core.store.internal.H2NotificationOutboxStore;

/**
 * The outbox on a real H2 file with a real webhook receiver: outages, a restart in between, giving up. Time is a
 * stepped clock and each round is run by the test, so nothing sleeps.
 */
class DurableOutboxTest {

    static final Instant T0 = Instant.parse("2026-03-01T06:00:00Z");
    static final RetryPolicy POLICY = new RetryPolicy(Duration.ofSeconds(30), Duration.ofMinutes(10),
            Duration.ofHours(2));
    static final Duration RETENTION = Duration.ofDays(30);

    @TempDir
    Path dir;
    Receiver receiver;
    Database db;
    ManualClock clock = new ManualClock(T0);

    @BeforeEach
    void start() throws IOException {
        receiver = Receiver.start();
        db = Database.open(dir);
    }

    @AfterEach
    void stop() {
        receiver.close();
        db.close();
    }

    private DurableOutbox outbox(Database database) {
        ChannelKinds kinds = new ChannelKinds();
        kinds.add(new WebhookChannel());
        return new DurableOutbox(new H2NotificationOutboxStore(database), new H2NotificationChannelStore(database),
                kinds, clock, POLICY, 50, RETENTION, null);
    }

    private String webhook(String id, boolean enabled) {
        return new H2NotificationChannelStore(db).save(new ChannelConfig(id, "webhook", id, enabled,
                Map.of("url", receiver.url() + "/" + id), T0)).id();
    }

    private static Notification alert(String key) {
        return new Notification(key, "Flow high", "Flow is 61 °C", "critical", List.of(), "hp-1", "alert:al-2", T0);
    }

    /** Requests per idempotency key: exactly-once means every key appears once. */
    private Map<String, Long> deliveriesByKey() {
        return receiver.requests.stream().collect(java.util.stream.Collectors.groupingBy(
                r -> r.header("Idempotency-Key"), java.util.stream.Collectors.counting()));
    }

    @Test
    void enqueueWritesOneRowPerEnabledChannelAndTheFirstRoundDeliversThem() {
        webhook("ops", true);
        webhook("home", true);
        webhook("old", false);
        DurableOutbox outbox = outbox(db);
        List<Entry> written = outbox.enqueue(alert("alert-event-1"));
        assertEquals(List.of("home", "ops"), written.stream().map(Entry::channelId).sorted().toList());
        assertEquals(2, outbox.entries(State.PENDING, 10).size(), "on disk before any delivery");

        assertEquals(2, outbox.deliverDue());
        assertEquals(Map.of("alert-event-1/ops", 1L, "alert-event-1/home", 1L), deliveriesByKey());
        assertEquals(2, outbox.entries(State.DELIVERED, 10).size());
        assertEquals(0, outbox.deliverDue(), "nothing is sent twice");
    }

    @Test
    void theSameKeyEnqueuedTwiceIsDeliveredOnce() {
        webhook("ops", true);
        DurableOutbox outbox = outbox(db);
        outbox.enqueue(alert("alert-event-2"));
        assertTrue(outbox.enqueue(alert("alert-event-2")).isEmpty());
        outbox.deliverDue();
        assertEquals(1, receiver.requests.size());
    }

    @Test
    void aChannelOutageIsRetriedWithDoublingDelaysAndDeliveredExactlyOnceWhenItIsBack() throws IOException {
        webhook("ops", true);
        int port = receiver.port();
        receiver.stop();
        DurableOutbox outbox = outbox(db);
        outbox.enqueue(alert("alert-event-3"));

        assertEquals(0, outbox.deliverDue());
        Entry first = outbox.entries(State.PENDING, 1).get(0);
        assertEquals(1, first.attempts());
        assertEquals(T0.plusSeconds(30), first.nextAttempt());
        assertTrue(first.lastError().startsWith("webhook: connection refused"), first.lastError());

        clock.advance(Duration.ofSeconds(29));
        outbox.deliverDue();
        assertEquals(1, outbox.entries(State.PENDING, 1).get(0).attempts(), "not due yet");
        clock.advance(Duration.ofSeconds(1));
        outbox.deliverDue();
        Entry second = outbox.entries(State.PENDING, 1).get(0);
        assertEquals(2, second.attempts());
        assertEquals(clock.instant().plusSeconds(60), second.nextAttempt(), "the delay doubles");

        receiver.start(port);
        clock.advance(Duration.ofSeconds(60));
        assertEquals(1, outbox.deliverDue());
        Entry delivered = outbox.entries(State.DELIVERED, 1).get(0);
        assertEquals(3, delivered.attempts());
        assertEquals(clock.instant(), delivered.deliveredAt());
        clock.advance(Duration.ofHours(1));
        assertEquals(0, outbox.deliverDue());
        assertEquals(Map.of("alert-event-3/ops", 1L), deliveriesByKey());
    }

    @Test
    void aPendingEntrySurvivesARestartAndIsDeliveredOnceAfterIt() throws IOException {
        webhook("ops", true);
        receiver.status.set(503);
        DurableOutbox before = outbox(db);
        before.enqueue(alert("alert-event-4"));
        before.deliverDue();
        assertEquals(1, receiver.requests.size());
        assertTrue(before.entries(State.PENDING, 1).get(0).lastError().contains("HTTP 503"));

        db.close();
        db = Database.open(dir);
        receiver.status.set(200);
        DurableOutbox after = outbox(db);
        clock.advance(Duration.ofSeconds(30));
        assertEquals(1, after.deliverDue());
        assertEquals(0, after.deliverDue());

        db.close();
        db = Database.open(dir);
        clock.advance(Duration.ofHours(1));
        assertEquals(0, outbox(db).deliverDue(), "delivered stays delivered across another restart");
        assertEquals(2, receiver.requests.size(), "one refused, one accepted");
        assertEquals(200, receiver.status.get());
        assertEquals(1, outbox(db).entries(State.DELIVERED, 10).size());
    }

    @Test
    void aWebhookSecretIsNotInTheDataFolderAndSignsTheDeliveryAfterARestart() throws IOException {
        String secret = "hmac-9b2e-signing-secret-across-restart";
        new H2NotificationChannelStore(db).save(new ChannelConfig("signed", "webhook", "signed", true,
                Map.of("url", receiver.url() + "/signed", "secret", secret), T0));
        db.close();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                String raw = new String(java.nio.file.Files.readAllBytes(f),
                        java.nio.charset.StandardCharsets.ISO_8859_1);
                assertTrue(!raw.contains(secret), f + " holds the secret in clear");
            }
        }

        db = Database.open(dir);
        DurableOutbox outbox = outbox(db);
        outbox.enqueue(alert("alert-event-signed"));
        assertEquals(1, outbox.deliverDue());
        Receiver.Request request = receiver.requests.get(0);
        assertEquals("sha256=" + WebhookChannel.hmacSha256Hex(secret, request.body()),
                request.header(WebhookChannel.SIGNATURE_HEADER), "signed with the secret as it was saved");
    }

    @Test
    void aNotificationStillRefusedAfterTheGiveUpTimeIsMarkedFailed() {
        webhook("ops", true);
        receiver.status.set(502);
        DurableOutbox outbox = outbox(db);
        outbox.enqueue(alert("alert-event-5"));
        int rounds = 0;
        while (!outbox.entries(State.PENDING, 1).isEmpty() && rounds++ < 100) {
            outbox.deliverDue();
            outbox.nextDue().ifPresent(next -> clock.advance(Duration.between(clock.instant(), next)));
        }
        Entry failed = outbox.entries(State.FAILED, 1).get(0);
        assertTrue(failed.lastError().startsWith("gave up after " + failed.attempts() + " attempts"),
                failed.lastError());
        assertTrue(failed.lastError().contains("HTTP 502"));
        assertNull(failed.nextAttempt());
        assertEquals(T0.plus(POLICY.giveUpAfter()), clock.instant(), "failed exactly at the give-up time");
        // at 0, 30 s, 1.5, 3.5, 7.5, 15.5 min, then every 10 min (the cap) to 115.5 min, and a last one at 2 h
        assertEquals(17, failed.attempts());
        assertEquals(17, receiver.requests.size());
    }

    @Test
    void aRejectionARetryCannotFixFailsAtOnce() {
        webhook("ops", true);
        receiver.status.set(401);
        DurableOutbox outbox = outbox(db);
        outbox.enqueue(alert("alert-event-6"));
        outbox.deliverDue();
        Entry failed = outbox.entries(State.FAILED, 1).get(0);
        assertEquals(1, failed.attempts());
        assertTrue(failed.lastError().contains("HTTP 401"));
    }

    @Test
    void anEntryForADeletedChannelFailsAndOneForAMissingKindWaits() {
        webhook("ops", true);
        new H2NotificationChannelStore(db).save(new ChannelConfig("pager", "pager-duty", "pager", true, Map.of(),
                T0));
        DurableOutbox outbox = outbox(db);
        outbox.enqueue(new Notification("alert-event-7", "t", "m", "info", List.of("ops", "pager"), null, "x", T0));
        new H2NotificationChannelStore(db).delete("ops");
        outbox.deliverDue();
        assertTrue(outbox.entries(State.FAILED, 1).get(0).lastError().contains("no longer exists"));
        Entry waiting = outbox.entries(State.PENDING, 1).get(0);
        assertEquals("pager", waiting.channelId());
        assertTrue(waiting.lastError().contains("not installed"));
    }

    @Test
    void finishedEntriesAreDeletedAfterTheRetentionAndPendingOnesAreKept() {
        webhook("ops", true);
        new H2NotificationChannelStore(db).save(new ChannelConfig("pager", "pager-duty", "pager", true, Map.of(),
                T0));
        DurableOutbox outbox = outbox(db);
        outbox.enqueue(new Notification("old", "t", "m", "info", List.of("ops", "pager"), null, "x", T0));
        outbox.deliverDue();
        assertEquals(1, outbox.entries(State.DELIVERED, 10).size());

        clock.advance(RETENTION.minusMinutes(1));
        assertEquals(0, outbox.pruneFinished(), "not older than the retention yet");
        clock.advance(Duration.ofMinutes(2));
        assertEquals(1, outbox.pruneFinished(), "the delivered entry goes");

        assertTrue(outbox.entries(State.DELIVERED, 10).isEmpty());
        assertEquals(List.of("pager"), outbox.entries(State.PENDING, 10).stream().map(Entry::channelId).toList(),
                "an entry still waiting for its channel is never deleted, however old");
    }

    @Test
    void backoffDoublesUpToItsCap() {
        assertEquals(Duration.ofSeconds(30), POLICY.delayAfter(1));
        assertEquals(Duration.ofSeconds(60), POLICY.delayAfter(2));
        assertEquals(Duration.ofMinutes(8), POLICY.delayAfter(5));
        assertEquals(Duration.ofMinutes(10), POLICY.delayAfter(6));
        assertEquals(Duration.ofMinutes(10), POLICY.delayAfter(1000));
    }
}
