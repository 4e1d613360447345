package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.Notification;
import gateway.core.api.NotificationChannelStore.ChannelConfig;
import gateway.core.api.NotificationOutbox.Entry;
import gateway.core.api.NotificationOutbox.State;

class H2NotificationStoresTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void channelsKeepTheirSettingsAcrossAReopen() {
        String id;
        try (Database db = Database.open(dir)) {
            ChannelConfig saved = new H2NotificationChannelStore(db).save(new ChannelConfig(null, "webhook", "Ops",
                    true, Map.of("url", "http://127.0.0.1:1/hook", "secret", "s3cret"), T0));
            id = saved.id();
            assertTrue(id.startsWith("ch-"), id);
        }
        try (Database db = Database.open(dir)) {
            H2NotificationChannelStore store = new H2NotificationChannelStore(db);
            ChannelConfig read = store.get(id).orElseThrow();
            assertEquals(Map.of("url", "http://127.0.0.1:1/hook", "secret", "s3cret"), read.settings());
            assertEquals(T0, read.updatedAt());
            assertEquals(List.of(id), store.list().stream().map(ChannelConfig::id).toList());
            assertTrue(store.delete(id));
            assertFalse(store.delete(id));
            assertTrue(store.get(id).isEmpty());
        }
    }

    @Test
    void anOutboxEntryMovesFromPendingToDeliveredAndAKeyIsEnqueuedOnce() {
        try (Database db = Database.open(dir)) {
            H2NotificationOutboxStore outbox = new H2NotificationOutboxStore(db);
            Notification n = new Notification("alert-event-1", "Hot water", "below 40 °C", "warning", List.of(),
                    "hp-1", "alert:al-1", T0);
            List<Entry> written = outbox.insert(n, List.of("ch-a", "ch-b"), T0);
            assertEquals(2, written.size());
            assertTrue(outbox.insert(n, List.of("ch-c"), T0).isEmpty(), "the same key again is a no-op");

            assertTrue(outbox.due(T0.minusSeconds(1), 10).isEmpty(), "nothing is due before it was written");
            List<Entry> due = outbox.due(T0, 10);
            assertEquals(List.of("ch-a", "ch-b"), due.stream().map(Entry::channelId).toList());
            assertEquals("below 40 °C", due.get(0).notification().message());

            outbox.markRetry(due.get(0).id(), 1, T0.plusSeconds(30), "connection refused");
            outbox.markDelivered(due.get(1).id(), 1, T0.plusSeconds(1));
            assertEquals(T0.plusSeconds(30), outbox.nextDue().orElseThrow());
            assertTrue(outbox.due(T0.plusSeconds(29), 10).isEmpty());

            Entry delivered = outbox.list(State.DELIVERED, 10).get(0);
            assertEquals("ch-b", delivered.channelId());
            assertEquals(T0.plusSeconds(1), delivered.deliveredAt());
            assertNull(delivered.nextAttempt());

            outbox.markFailed(due.get(0).id(), 5, "x".repeat(5000));
            Entry failed = outbox.list(State.FAILED, 10).get(0);
            assertEquals(5, failed.attempts());
            assertEquals(H2NotificationOutboxStore.MAX_ERROR_LENGTH, failed.lastError().length());
            assertTrue(outbox.nextDue().isEmpty());
            assertEquals(2, outbox.list(null, 10).size());
        }
    }
}
