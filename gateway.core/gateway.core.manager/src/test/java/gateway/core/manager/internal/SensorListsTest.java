package gateway.core.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.DataType;
import gateway.core.api.Heatpump;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.testing.SimulatedDevice;
import gateway.core.testing.TestDriver;

/** Devices whose drivers list equal sensors share one list of definitions instead of a copy each. */
class SensorListsTest {

    private final ManagerFixture f = new ManagerFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    private static List<SensorDefinition> sensors(int scale) {
        return List.of(SensorDefinition.builder("temp_outdoor").type(DataType.INT16).kind(RegisterKind.INPUT)
                        .scale(scale).invalid(-32768L).build(),
                SensorDefinition.builder("mode").type(DataType.UINT16).kind(RegisterKind.HOLDING)
                        .enumValue(0, "off").enumValue(1, "heat").build());
    }

    @Test
    void equalListsBuiltApartAreOneInstanceAndDifferentOnesStayApart() {
        SensorLists lists = new SensorLists();
        List<SensorDefinition> first = lists.canonical(sensors(10));
        assertSame(first, lists.canonical(sensors(10)));
        List<SensorDefinition> other = lists.canonical(sensors(100));
        assertNotSame(first, other);
        assertEquals(sensors(100), other);
        assertEquals(2, lists.size());
    }

    @Test
    void twoDevicesOfOneModelShareTheirSensorDefinitions() throws Exception {
        SimulatedDevice a = f.simulator();
        SimulatedDevice b = f.simulator();
        f.start();
        Heatpump one = f.create("Cellar", a);
        Heatpump two = f.create("Garage", b);
        assertEquals(TestDriver.SENSORS, f.manager.sensors(two.id()));
        assertSame(f.manager.sensors(one.id()), f.manager.sensors(two.id()));
    }
}
