package gateway.core.modbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import gateway.core.api.AccessMode;
import gateway.core.api.DataType;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;

class RegisterBankTest {

    private static final SensorDefinition SETPOINT = SensorDefinition.builder("setpoint").type(DataType.FLOAT32)
            .kind(RegisterKind.HOLDING).address(1392).access(AccessMode.READ_WRITE).invalid(-1).build();
    private static final SensorDefinition CURRENT = SensorDefinition.builder("current").type(DataType.UINT32)
            .kind(RegisterKind.INPUT).address(46).scale(0.1).invalid(0xFFFFFFFFL).build();

    @Test
    void definesSensorRegistersWithTheirAccess() {
        RegisterBank bank = new RegisterBank();
        bank.define(SETPOINT);
        bank.define(CURRENT);
        assertTrue(bank.defined(RegisterKind.HOLDING, 1392));
        assertTrue(bank.defined(RegisterKind.HOLDING, 1393));
        assertFalse(bank.defined(RegisterKind.HOLDING, 1394));
        assertFalse(bank.defined(RegisterKind.INPUT, 1392), "tables are separate");
        assertTrue(bank.writable(RegisterKind.HOLDING, 1393));
        assertFalse(bank.writable(RegisterKind.INPUT, 46));
        assertThrows(IllegalArgumentException.class, () -> bank.get(RegisterKind.HOLDING, 1394));
        assertThrows(IllegalArgumentException.class, () -> bank.set(RegisterKind.COIL, 0, 1));
        assertNull(bank.read(RegisterKind.HOLDING, 1392, 3));
    }

    @Test
    void storesEngineeringValuesAndSentinels() {
        RegisterBank bank = new RegisterBank();
        bank.define(SETPOINT);
        bank.define(CURRENT);
        bank.setValue(SETPOINT, 4.14, WordOrder.LOW_WORD_FIRST);
        assertArrayEquals(new int[] {0x7AE1, 0x4084}, bank.read(RegisterKind.HOLDING, 1392, 2));
        assertEquals(4.14, bank.getValue(SETPOINT, WordOrder.LOW_WORD_FIRST), 1e-6);
        bank.setValue(CURRENT, 12.3, WordOrder.LOW_WORD_FIRST);
        assertArrayEquals(new int[] {123, 0}, bank.read(RegisterKind.INPUT, 46, 2));
        bank.setRaw(CURRENT, 0xFFFFFFFFL, WordOrder.LOW_WORD_FIRST);
        assertArrayEquals(new int[] {0xFFFF, 0xFFFF}, bank.read(RegisterKind.INPUT, 46, 2));
        assertTrue(Double.isNaN(bank.getValue(CURRENT, WordOrder.LOW_WORD_FIRST)));
        bank.setRaw(SETPOINT, -1, WordOrder.LOW_WORD_FIRST);
        assertTrue(Double.isNaN(bank.getValue(SETPOINT, WordOrder.LOW_WORD_FIRST)));
    }

    @Test
    void tellsListenersAboutClientWritesOnly() {
        RegisterBank bank = new RegisterBank();
        bank.define(SETPOINT);
        List<String> seen = new ArrayList<>();
        bank.onWrite((kind, address, values) -> seen.add(kind.id() + " " + address + " " + values[0] + "," + values[1]));
        bank.set(RegisterKind.HOLDING, 1392, 5);
        bank.setValue(SETPOINT, 1, WordOrder.HIGH_WORD_FIRST);
        assertEquals(List.of(), seen);
        bank.write(RegisterKind.HOLDING, 1392, new int[] {0x7AE1, 0x4084});
        assertEquals(List.of("holding 1392 31457,16516"), seen);
    }
}
