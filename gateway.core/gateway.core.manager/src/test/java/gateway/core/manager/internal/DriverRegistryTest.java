package gateway.core.manager.internal;

import gateway.core.api.ManufacturerRegistry;
import gateway.core.testing.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import gateway.core.api.ManufacturerRegistry.Manufacturer;
import gateway.core.api.ManufacturerRegistry.Model;

class DriverRegistryTest {

    @Test
    void listsManufacturersAndModelsSortedAndFindsDrivers() {
        DriverRegistry registry = new DriverRegistry();
        TestDriver b = new TestDriver("model-b");
        TestDriver a = new TestDriver("model-a");
        registry.bindDriver(b);
        registry.bindDriver(a);

        List<Manufacturer> list = registry.manufacturers();
        assertEquals(1, list.size());
        assertEquals("Test Maker", list.get(0).name());
        assertEquals(List.of(new Model("model-a", "Model A", "modbus_tcp", 502),
                new Model("model-b", "Model B", "modbus_tcp", 502)), list.get(0).models());
        assertSame(a, registry.driver("testmaker", "model-a").orElseThrow());
        assertTrue(registry.driver("testmaker", "model-c").isEmpty());
    }

    @Test
    void tellsListenersOfArrivalsAndDeparturesAndFallsBackToASpareDriver() {
        DriverRegistry registry = new DriverRegistry();
        List<String> events = new ArrayList<>();
        registry.addDriverListener((m, model) -> events.add(m + "/" + model + "="
                + registry.driver(m, model).map(d -> "present").orElse("missing")));
        TestDriver first = new TestDriver();
        TestDriver spare = new TestDriver();
        registry.bindDriver(first);
        registry.bindDriver(spare);
        registry.unbindDriver(first);
        assertSame(spare, registry.driver(TestDriver.MANUFACTURER, TestDriver.MODEL).orElseThrow());
        registry.unbindDriver(spare);

        assertEquals(List.of("testmaker/model-a=present", "testmaker/model-a=present", "testmaker/model-a=present",
                "testmaker/model-a=missing"), events);
        assertTrue(registry.manufacturers().isEmpty());
    }
}
