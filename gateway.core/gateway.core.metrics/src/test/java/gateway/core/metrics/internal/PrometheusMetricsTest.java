package gateway.core.metrics.internal;

import gateway.core.testing.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.AccessMode;
import gateway.core.api.AnomalyStore;
import gateway.core.api.DataType;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceState;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

class PrometheusMetricsTest {

    static final Instant T = Instant.parse("2026-11-27T10:00:00Z");

    static SensorDefinition def(String id, SensorCategory category, String unit) {
        return SensorDefinition.builder(id).name("Display " + id).category(category).unit(unit)
                .type(DataType.FLOAT32).access(AccessMode.READ_ONLY).kind(RegisterKind.INPUT).build();
    }

    static final List<SensorDefinition> IDM_LIKE = List.of(
            def("temp_outdoor", SensorCategory.TEMPERATURE, "°C"),
            def("temp_return", SensorCategory.TEMPERATURE, "°C"),
            def("power_current", SensorCategory.POWER, "kW"),
            def("energy_heat_total", SensorCategory.ENERGY, "kWh"),
            def("temp_flow_current_circuit_a", SensorCategory.TEMPERATURE, "°C").toBuilder().circuit("A").build(),
            def("temp_flow_current_circuit_b", SensorCategory.TEMPERATURE, "°C").toBuilder().circuit("B").build(),
            def("mode_zone_1", SensorCategory.MODE, "").toBuilder().zone(0).build(),
            def("pressure_heating", SensorCategory.PRESSURE, "bar"));

    private final FakeManager fake = new FakeManager();

    @BeforeEach
    void devices() {
        fake.add("hp-1", "Cellar \"north\"", "idm", "navigator_2_0", IDM_LIKE);
        fake.latest.put("hp-1", new DeviceSnapshot("hp-1", "idm", "navigator_2_0", T, Map.of(
                "temp_outdoor", SensorReading.good("temp_outdoor", 4.5, null, T),
                "temp_return", SensorReading.invalid("temp_return", "sentinel -1", T),
                "power_current", SensorReading.good("power_current", 2.5, null, T),
                "energy_heat_total", SensorReading.good("energy_heat_total", 12345.6, null, T),
                "temp_flow_current_circuit_a", SensorReading.good("temp_flow_current_circuit_a", 35, null, T),
                "temp_flow_current_circuit_b", SensorReading.good("temp_flow_current_circuit_b", 31.5, null, T),
                "mode_zone_1", SensorReading.good("mode_zone_1", 1, "heating", T),
                "pressure_heating", SensorReading.good("pressure_heating", 1.5, null, T))));
        fake.add("hp-2", "Garage", "nibe", "s1155", List.of(def("temp_outdoor", SensorCategory.TEMPERATURE, "°C")));
        fake.states.put("hp-2", DeviceState.OFFLINE);
        fake.latest.put("hp-2", new DeviceSnapshot("hp-2", "nibe", "s1155", T, Map.of(
                "temp_outdoor", SensorReading.good("temp_outdoor", 3.0, null, T).stale())));
        fake.polls.record("ok", 40_000_000, 3);
        fake.polls.record("unreachable", 2_000_000_000L, 0);
        fake.polls.recordLateness(3_000_000);
        fake.polls.recordLateness(700_000_000);
        fake.polls.recordLateness(12_000_000_000L);
    }

    private String scrape(boolean compat) throws IOException {
        StringWriter out = new StringWriter();
        new PrometheusMetrics(fake.manager(), fake.listeners, fake.polls, compat, true, null, false).write(out);
        return out.toString();
    }

    @Test
    void exposesGoodValuesInBaseUnitsWithCircuitAndZoneLabels() throws IOException {
        String text = scrape(false);
        String labels = "heatpump_id=\"hp-1\",manufacturer=\"idm\",model=\"navigator_2_0\"";
        assertTrue(text.contains("\nheatpump_temp_outdoor_celsius{" + labels + "} 4.5\n"), text);
        assertTrue(text.contains("\nheatpump_power_current_watts{" + labels + "} 2500\n"), text);
        assertTrue(text.contains("\n# TYPE heatpump_energy_heat_joules_total counter\n"), text);
        // 12345.6 kWh × 3.6 MJ/kWh
        assertTrue(text.contains("\nheatpump_energy_heat_joules_total{" + labels + "} 44444160000\n"), text);
        assertTrue(text.contains("\nheatpump_temp_flow_current_celsius{" + labels + ",circuit=\"a\"} 35\n"), text);
        assertTrue(text.contains("\nheatpump_temp_flow_current_celsius{" + labels + ",circuit=\"b\"} 31.5\n"), text);
        assertTrue(text.contains("\nheatpump_mode{" + labels + ",zone=\"0\"} 1\n"), text);
        assertTrue(text.contains("\nheatpump_pressure_heating_pascals{" + labels + "} 150000\n"), text);
        // one family, one HELP/TYPE, even with two circuits
        assertEquals(1, count(text, "# TYPE heatpump_temp_flow_current_celsius gauge"));
    }

    @Test
    void leavesOutInvalidAndStaleValuesAndNeverShowsTheDisplayName() throws IOException {
        String text = scrape(false);
        assertFalse(text.contains("temp_return"), text);
        assertFalse(text.contains("hp-2\",manufacturer"), "the offline device's stale value must not show: " + text);
        assertFalse(text.contains("Cellar"), text);
        assertTrue(text.contains("\nheatpump_up{heatpump_id=\"hp-1\"} 1\n"), text);
        assertTrue(text.contains("\nheatpump_up{heatpump_id=\"hp-2\"} 0\n"), text);
    }

    /** Issue 7: the anomaly score reaches metrics like any sensor, and like the sensors only while the device answers. */
    @Test
    void anomalyScoreAndFlagAppearForDevicesThatAnswer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        try (gateway.core.store.internal.Database db = gateway.core.store.internal.Database.open(dir)) {
            AnomalyStore store = new gateway.core.store.internal.H2AnomalyStore(db);
            store.recordScore("hp-1", T, 0.83, true);
            store.recordScore("hp-2", T, 0.2, false);
            assertAnomalyMetrics(store);
        }
    }

    private void assertAnomalyMetrics(AnomalyStore store) throws IOException {
        PrometheusMetrics metrics = new PrometheusMetrics(fake.manager(), fake.listeners, fake.polls, false, false,
                null, false);
        metrics.anomalies = store;
        StringWriter out = new StringWriter();
        metrics.write(out);
        String text = out.toString();
        String labels = "{heatpump_id=\"hp-1\",manufacturer=\"idm\",model=\"navigator_2_0\"}";
        assertTrue(text.contains("\nheatpump_anomaly_score" + labels + " 0.83\n"), text);
        assertTrue(text.contains("\nheatpump_anomaly_flag" + labels + " 1\n"), text);
        assertFalse(text.contains("hp-2\",manufacturer"), "offline hp-2's score must not show: " + text);
    }

    @Test
    void selfMetricsCountPollsByResultDurationsAndLateness() throws IOException {
        String text = scrape(false);
        assertTrue(text.contains("\ngateway_polls_total{result=\"ok\"} 1\n"), text);
        assertTrue(text.contains("\ngateway_polls_total{result=\"unreachable\"} 1\n"), text);
        assertTrue(text.contains("\ngateway_poll_duration_seconds_bucket{le=\"0.05\"} 1\n"), text);
        assertTrue(text.contains("\ngateway_poll_duration_seconds_bucket{le=\"2.5\"} 2\n"), text);
        assertTrue(text.contains("\ngateway_poll_duration_seconds_count 2\n"), text);
        assertTrue(text.contains("\ngateway_poll_duration_seconds_sum 2.04\n"), text);
        assertTrue(text.contains("\n# TYPE gateway_poll_lateness_seconds histogram\n"), text);
        assertTrue(text.contains("\ngateway_poll_lateness_seconds_bucket{le=\"0.005\"} 1\n"), text);
        assertTrue(text.contains("\ngateway_poll_lateness_seconds_bucket{le=\"0.5\"} 1\n"), text);
        assertTrue(text.contains("\ngateway_poll_lateness_seconds_bucket{le=\"1\"} 2\n"), text);
        assertTrue(text.contains("\ngateway_poll_lateness_seconds_bucket{le=\"10\"} 2\n"), text);
        assertTrue(text.contains("\ngateway_poll_lateness_seconds_bucket{le=\"+Inf\"} 3\n"), text);
        assertTrue(text.contains("\ngateway_poll_lateness_seconds_count 3\n"), text);
        assertTrue(text.contains("\ngateway_poll_lateness_seconds_sum 12.703\n"), text);
        assertTrue(text.contains("\ngateway_listener_dropped_total{listener=\"HistoryRecorder-7\"} 2\n"), text);
        assertTrue(text.contains("\ngateway_reconnects_total{heatpump_id=\"hp-1\"} 2\n"), text);
        assertTrue(text.contains("\njvm_memory_used_bytes{area=\"heap\"} "), text);
    }

    /** Issue 15: gateway_id and site as target-like labels when asked for, and gateway_info always. */
    @Test
    void identityLabelsOnDeviceSeriesWhenConfiguredAndGatewayInfoAlways() throws Exception {
        gateway.core.api.GatewayIdentity id = new gateway.core.api.GatewayIdentity() {
            public String gatewayId() {
                return "gw-berlin";
            }

            public String site() {
                return "mitte";
            }
        };
        for (boolean labelled : new boolean[] { false, true }) {
            StringWriter out = new StringWriter();
            new PrometheusMetrics(fake.manager(), fake.listeners, fake.polls, false, true, id, labelled).write(out);
            String text = out.toString();
            assertTrue(text.contains("\ngateway_info{gateway_id=\"gw-berlin\",site=\"mitte\"} 1\n"), text);
            String labels = "heatpump_id=\"hp-1\",manufacturer=\"idm\",model=\"navigator_2_0\"";
            assertEquals(labelled, text.contains("\nheatpump_power_current_watts{" + labels
                    + ",gateway_id=\"gw-berlin\",site=\"mitte\"} 2500\n"), text);
            assertEquals(!labelled, text.contains("\nheatpump_power_current_watts{" + labels + "} 2500\n"), text);
            Process p = new ProcessBuilder(Tools.require("promtool"), "check", "metrics").redirectErrorStream(true)
                    .start();
            p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String lint = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), lint);
        }
    }

    @Test
    void mqttStateAndCountersAreSelfMetricsThatPromtoolAccepts() throws Exception {
        PrometheusMetrics metrics = new PrometheusMetrics(fake.manager(), fake.listeners, fake.polls, false, true, null, false);
        metrics.mqtt = () -> new gateway.core.api.MqttStatus.Connection("unauthorized", "not authorized", T,
                "tcp://broker:1883", "heatpump-gateway-1", "heatpump", true, false, 1200, 35, 4, 2, 3, 1, null);
        StringWriter out = new StringWriter();
        metrics.write(out);
        String text = out.toString();
        assertTrue(text.contains("\ngateway_mqtt_state{state=\"unauthorized\"} 1\n"), text);
        assertTrue(text.contains("\ngateway_mqtt_state{state=\"connected\"} 0\n"), text);
        assertTrue(text.contains("\ngateway_mqtt_messages_published_total 1200\n"), text);
        assertTrue(text.contains("\ngateway_mqtt_messages_dropped_total 35\n"), text);
        assertTrue(text.contains("\ngateway_mqtt_queue_length 4\n"), text);
        assertTrue(text.contains("\ngateway_mqtt_commands_total{outcome=\"refused\"} 3\n"), text);
        Process p = new ProcessBuilder(Tools.require("promtool"), "check", "metrics").redirectErrorStream(true)
                .start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String lint = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("", lint.strip(), "promtool lint findings");
    }

    @Test
    void compatibilityNamesFollowTheOriginalSeries() throws IOException {
        String text = scrape(true);
        String labels = "{heatpump_id=\"hp-1\",manufacturer=\"idm\",model=\"navigator_2_0\"}";
        assertTrue(text.contains("\nidm_heatpump_power_current" + labels + " 2.5\n"), text);
        assertTrue(text.contains("\nidm_heatpump_temp_flow_current_circuit_a" + labels + " 35\n"), text);
        assertTrue(text.contains("\nidm_heatpump_energy_heat_total" + labels + " 12345.6\n"), text);
        assertFalse(text.contains("\nheatpump_power_current"), text);
    }

    @Test
    void promtoolAcceptsTheExposition() throws Exception {
        String promtool = Tools.require("promtool");
        for (boolean compat : new boolean[] { false, true }) {
            String text = scrape(compat);
            Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
            p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertFalse(out.contains("error while linting"), out);
            if (!compat) {
                assertEquals(0, p.exitValue(), "promtool check metrics: " + out + "\n" + text);
                assertEquals("", out.strip(), "promtool lint findings");
            } else {
                // the original's names are kept on purpose (e.g. "_circuit_b" reads to the linter as bytes);
                // only naming findings on those names are acceptable
                for (String line : out.strip().split("\n")) {
                    assertTrue(line.isEmpty() || line.startsWith("idm_heatpump_"), out);
                }
            }
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
