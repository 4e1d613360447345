package gateway.core.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import gateway.core.api.SensorDefinition;

/** The catalog renders each series' labels and prefixes as before while keeping what devices share once. */
class SeriesCatalogTest {

    private static final List<SensorDefinition> DEFS = PrometheusMetricsTest.IDM_LIKE;

    private static SeriesCatalog catalog() {
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("gateway_id", "gw-7");
        identity.put("site", "Nord, Halle 2");
        return new SeriesCatalog(id -> DEFS, false, identity);
    }

    @Test
    void prefixesAndLabelPairsAreRenderedInFull() {
        SeriesCatalog.Entry e = catalog().entries("hp-1", "idm", "navigator_2_0").get("temp_flow_current_circuit_a");
        String labels = "{heatpump_id=\"hp-1\",manufacturer=\"idm\",model=\"navigator_2_0\",circuit=\"a\","
                + "gateway_id=\"gw-7\",site=\"Nord, Halle 2\"}";
        assertEquals(labels, e.labels());
        assertEquals("heatpump_temp_flow_current_celsius" + labels + " ",
                e.appendPromPrefix(new StringBuilder()).toString());
        assertEquals("heatpump,heatpump_id=hp-1,manufacturer=idm,model=navigator_2_0,circuit=a,gateway_id=gw-7,"
                        + "site=Nord\\,\\ Halle\\ 2 temp_flow_current_celsius=",
                e.appendInfluxPrefix(new StringBuilder()).toString());
        assertArrayEquals(new String[] { "__name__", "heatpump_temp_flow_current_celsius", "circuit", "a",
                "gateway_id", "gw-7", "heatpump_id", "hp-1", "manufacturer", "idm", "model", "navigator_2_0",
                "site", "Nord, Halle 2" }, e.labelPairs());
    }

    @Test
    void entriesShareTheLabelsOfTheirDeviceAndTheSeriesOfTheirModel() {
        SeriesCatalog catalog = catalog();
        Map<String, SeriesCatalog.Entry> one = catalog.entries("hp-1", "idm", "navigator_2_0");
        Map<String, SeriesCatalog.Entry> two = catalog.entries("hp-2", "idm", "navigator_2_0");
        assertSame(one.get("temp_outdoor").labels(), one.get("pressure_heating").labels(),
                "one string for the device's plain label set");
        assertNotSame(one.get("temp_outdoor").labels(), one.get("temp_flow_current_circuit_a").labels());
        assertSame(one.get("temp_outdoor").series(), two.get("temp_outdoor").series(), "one series per sensor");
        assertEquals(one.get("temp_outdoor").appendInfluxPrefix(new StringBuilder()).toString()
                .replace("hp-1", "hp-2"), two.get("temp_outdoor").appendInfluxPrefix(new StringBuilder()).toString());
        assertEquals("{heatpump_id=\"hp-2\",manufacturer=\"idm\",model=\"navigator_2_0\",gateway_id=\"gw-7\","
                + "site=\"Nord, Halle 2\"}", two.get("temp_outdoor").labels());
    }
}
