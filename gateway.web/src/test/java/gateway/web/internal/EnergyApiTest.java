package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.CopStore;

/**
 * Issue 16: {@code GET /api/energy} sums the saved COP day sums by day or month, for one heat pump or all, with each
 * period's COP and the heating season's SCOP; every expected number below is worked out by hand from the days given.
 */
class EnergyApiTest extends ApiTestBase {

    /** Day sums kept in memory, answered like the H2 store (inclusive range, oldest first). */
    static final class Days implements CopStore {
        final List<CopDay> days = new ArrayList<>();

        @Override
        public Optional<CopTotals> load(String heatpumpId) {
            return Optional.empty();
        }

        @Override
        public void save(CopTotals totals) {
        }

        @Override
        public void delete(String heatpumpId) {
            days.removeIf(d -> d.heatpumpId().equals(heatpumpId));
        }

        @Override
        public List<CopDay> days(String heatpumpId, LocalDate from, LocalDate to) {
            return days.stream().filter(d -> d.heatpumpId().equals(heatpumpId) && !d.day().isBefore(from)
                    && !d.day().isAfter(to)).sorted((a, b) -> a.day().compareTo(b.day())).toList();
        }
    }

    private final Days store = new Days();
    private String cellar;

    @BeforeEach
    void days() throws Exception {
        servlet.setCop(store);
        cellar = createDevice(CONTRACT_BODY);
        String attic = createDevice(MINIMAL_BODY);
        store.days.add(new CopStore.CopDay(cellar, LocalDate.parse("2026-06-30"), 100, 10)); // last season
        store.days.add(new CopStore.CopDay(cellar, LocalDate.parse("2026-10-31"), 10, 4));
        store.days.add(new CopStore.CopDay(cellar, LocalDate.parse("2026-11-01"), 12.5, 4));
        store.days.add(new CopStore.CopDay(cellar, LocalDate.parse("2026-11-02"), 9, 3));
        store.days.add(new CopStore.CopDay(attic, LocalDate.parse("2026-11-01"), 3.5, 1));
    }

    @Test
    void oneHeatPumpByDayWithEachDaysCopTheTotalAndTheSeasonsScop() throws Exception {
        Response r = get("/api/energy?device=" + cellar + "&by=day&from=2026-11-01&to=2026-11-02", "alice");
        assertEquals(200, r.status(), r.body());
        JsonNode j = r.json();
        assertEquals(cellar, j.get("device").asText());
        assertEquals("day", j.get("by").asText());
        assertEquals("kWh", j.get("unit").asText());
        assertEquals(2, j.get("rows").size());
        // 12.5 / 4 = 3.125, shown to two places; 9 / 3 = 3
        assertRow(j.get("rows").get(0), "2026-11-01", 12.5, 4, 3.13);
        assertRow(j.get("rows").get(1), "2026-11-02", 9, 3, 3.0);
        // 21.5 kWh for 7 kWh: 3.0714…, never the mean of 3.125 and 3 (3.06)
        assertRow(j.get("total"), "total", 21.5, 7, 3.07);
        // heating year 1 July 2026 – 30 June 2027: 10 + 12.5 + 9 = 31.5 for 4 + 4 + 3 = 11 → 2.8636…; June is last season
        JsonNode season = j.get("season");
        assertEquals("2026-07-01", season.get("from").asText());
        assertEquals("2027-06-30", season.get("to").asText());
        assertEquals(31.5, season.get("heat_kwh").asDouble(), 1e-9);
        assertEquals(11, season.get("electric_kwh").asDouble(), 1e-9);
        assertEquals(2.86, season.get("scop").asDouble(), 1e-9);
    }

    @Test
    void allHeatPumpsByMonthAreSummed() throws Exception {
        Response r = get("/api/energy?by=month&from=2026-10&to=2026-11", "alice");
        assertEquals(200, r.status(), r.body());
        JsonNode j = r.json();
        assertTrue(j.get("device").isNull(), r.body());
        assertEquals(2, j.get("devices").size());
        assertEquals("2026-10-01", j.get("from").asText());
        assertEquals("2026-11-30", j.get("to").asText(), "a month as 'to' means its last day");
        // October: the cellar's 10 for 4; November: 12.5 + 9 + 3.5 (attic) = 25 for 4 + 3 + 1 = 8 → 3.125
        assertRow(j.get("rows").get(0), "2026-10", 10, 4, 2.5);
        assertRow(j.get("rows").get(1), "2026-11", 25, 8, 3.13);
        // season: 31.5 + 3.5 = 35 for 12 → 2.9166…
        assertEquals(2.92, j.get("season").get("scop").asDouble(), 1e-9);
        assertEquals(2, get("/api/energy?device=all&by=month&from=2026-10&to=2026-11", "alice").json()
                .get("devices").size(), "device=all is every heat pump too");
    }

    @Test
    void csvHasAHeaderWithUnitsAndOneLinePerPeriod() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/api/energy?device=" + cellar
                + "&from=2026-10-31&to=2026-11-02&format=csv")).header("Authorization", basic("alice", "pw-alice"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertTrue(r.headers().firstValue("Content-Disposition").orElse("").contains(".csv"));
        assertEquals("day,heat_kwh,electricity_kwh,cop\n"
                + "2026-10-31,10,4,2.5\n"
                + "2026-11-01,12.5,4,3.13\n"
                + "2026-11-02,9,3,3\n", r.body());
    }

    @Test
    void aDayWithoutElectricityHasNoCopAndTheDefaultRangeEndsToday() throws Exception {
        // ApiTestBase's clock: 2026-11-27 12:00 UTC; the default day range is the 30 days up to today
        LocalDate today = LocalDate.ofInstant(NOW, java.time.ZoneId.systemDefault());
        store.days.add(new CopStore.CopDay(cellar, today, 1.5, 0));
        JsonNode j = get("/api/energy?device=" + cellar, "alice").json();
        assertEquals(today.toString(), j.get("to").asText());
        assertEquals(today.minusDays(29).toString(), j.get("from").asText());
        JsonNode last = j.get("rows").get(j.get("rows").size() - 1);
        assertEquals(today.toString(), last.get("period").asText());
        assertTrue(last.get("cop").isNull(), last.toString());
    }

    @Test
    void badParametersAre400AnUnknownHeatPumpIs404AndNoStoreIs503() throws Exception {
        for (String q : List.of("by=week", "by=", "format=xml", "from=yesterday", "to=2026-13", "from=2026-11-31",
                "from=2026-11-03&to=2026-11-02", "from=2000-01-01&to=2026-11-02", "to=%2B999999999-12-31T00:00:00Z")) {
            Response r = get("/api/energy?device=" + cellar + "&" + q, "alice");
            assertEquals(q.equals("by=") ? 200 : 400, r.status(), q + ": " + r.body());
            if (r.status() == 400) {
                assertTrue(r.contentType().startsWith("application/problem+json"), q);
            }
        }
        Response unknown = get("/api/energy?device=nope", "alice");
        assertEquals(404, unknown.status(), unknown.body());
        assertEquals(401, get("/api/energy", null).status());
        servlet.unsetCop(store);
        assertEquals(503, get("/api/energy?device=" + cellar, "alice").status());
    }

    private static void assertRow(JsonNode row, String period, double heat, double electric, double cop) {
        assertEquals(period, row.get("period").asText(), row.toString());
        assertEquals(heat, row.get("heat_kwh").asDouble(), 1e-9, row.toString());
        assertEquals(electric, row.get("electric_kwh").asDouble(), 1e-9, row.toString());
        assertEquals(cop, row.get("cop").asDouble(), 1e-9, row.toString());
    }
}
