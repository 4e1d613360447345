package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.AuditLog;
import gateway.core.api.AuditLog.Entry;

class H2AuditLogTest {

    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = Database.open(dir);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void returnsEntriesNewestFirstPerDeviceAndLimited() {
        AuditLog audit = new H2AuditLog(db);
        Instant before = Instant.now().minusMillis(1);
        Entry first = audit.record("alice", "hp-1", "flow_setpoint", 40.0, 42.5, "ok", null);
        audit.record("job:7", "hp-2", "dhw_setpoint", null, 50.0, "rejected", "write switch off");
        Entry third = audit.record("bob", "hp-1", "mode", 1.0, 2.0, "failed", "timeout");

        assertTrue(first.id() < third.id());
        assertTrue(!first.time().isBefore(before) && first.time().isBefore(Instant.now().plus(Duration.ofSeconds(1))));
        List<Entry> all = audit.recent(null, 10);
        assertEquals(List.of("bob", "job:7", "alice"), all.stream().map(Entry::actor).toList());
        assertEquals(List.of(third, first), audit.recent("hp-1", 10));
        assertEquals(List.of(third), audit.recent(null, 1));
        Entry rejected = all.get(1);
        assertNull(rejected.oldValue());
        assertEquals(50.0, rejected.newValue());
        assertEquals("write switch off", rejected.detail());
    }
}
