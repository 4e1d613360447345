package gateway.core.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import gateway.core.api.AuditLog;
import gateway.core.api.CopStore;
import gateway.core.api.DashboardStore;
import gateway.core.api.Heatpump;
import gateway.core.api.SettingsStore;
import gateway.core.api.HeatpumpStore;

/** In-memory stand-ins for the gateway's own storage interfaces (the H2 versions are tested with the store). */
public final class InMemoryStores {

    private InMemoryStores() {
    }

    public static final class Repository implements HeatpumpStore {
        public final Map<String, Heatpump> rows = new ConcurrentHashMap<>();

        @Override
        public List<Heatpump> all() {
            return new ArrayList<>(rows.values());
        }

        @Override
        public Optional<Heatpump> find(String id) {
            return Optional.ofNullable(rows.get(id));
        }

        @Override
        public void insert(Heatpump heatpump) {
            if (rows.putIfAbsent(heatpump.id(), heatpump) != null) {
                throw new IllegalStateException("duplicate id " + heatpump.id());
            }
        }

        @Override
        public void update(Heatpump heatpump) {
            if (rows.replace(heatpump.id(), heatpump) == null) {
                throw new IllegalStateException("no row " + heatpump.id());
            }
        }

        @Override
        public boolean delete(String id) {
            return rows.remove(id) != null;
        }
    }

    public static final class CopTotalsStore implements CopStore {
        public final Map<String, CopTotals> rows = new ConcurrentHashMap<>();

        @Override
        public Optional<CopTotals> load(String heatpumpId) {
            return Optional.ofNullable(rows.get(heatpumpId));
        }

        @Override
        public void save(CopTotals totals) {
            rows.put(totals.heatpumpId(), totals);
        }

        @Override
        public void delete(String heatpumpId) {
            rows.remove(heatpumpId);
        }
    }

    public static final class Settings implements SettingsStore {
        public final Map<String, String> values = new ConcurrentHashMap<>();

        @Override
        public Optional<String> get(String key) {
            return Optional.ofNullable(values.get(key));
        }

        @Override
        public void put(String key, String value) {
            values.put(key, value);
        }

        @Override
        public Map<String, String> all() {
            return new LinkedHashMap<>(values);
        }
    }

    public static final class Audit implements AuditLog {
        public final List<Entry> entries = new CopyOnWriteArrayList<>();
        private final AtomicLong ids = new AtomicLong();

        @Override
        public Entry record(String actor, String heatpumpId, String sensorId, Double oldValue, Double newValue,
                            String result, String detail) {
            Entry e = new Entry(ids.incrementAndGet(), Instant.now(), actor, heatpumpId, sensorId, oldValue, newValue,
                    result, detail);
            entries.add(e);
            return e;
        }

        @Override
        public List<Entry> recent(String heatpumpId, int limit) {
            return entries.stream().filter(e -> heatpumpId == null || heatpumpId.equals(e.heatpumpId()))
                    .sorted(Comparator.comparingLong(Entry::id).reversed()).limit(limit).toList();
        }

        public List<Entry> withResult(String result) {
            return entries.stream().filter(e -> e.result().equals(result)).toList();
        }
    }

    public static final class Dashboards implements DashboardStore {
        public final Map<String, Dashboard> rows = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();

        @Override
        public List<Dashboard> list(String heatpumpId) {
            return rows.values().stream().filter(d -> java.util.Objects.equals(d.heatpumpId(), heatpumpId)).toList();
        }

        @Override
        public Optional<Dashboard> get(String id) {
            return Optional.ofNullable(rows.get(id));
        }

        @Override
        public Dashboard save(Dashboard d) {
            String id = d.id() == null ? "db-" + ids.incrementAndGet() : d.id();
            Dashboard saved = new Dashboard(id, d.name(), d.heatpumpId(), d.config(), d.position());
            rows.put(id, saved);
            return saved;
        }

        @Override
        public boolean delete(String id) {
            return rows.remove(id) != null;
        }
    }
}
