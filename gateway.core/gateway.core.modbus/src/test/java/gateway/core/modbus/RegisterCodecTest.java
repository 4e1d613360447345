package gateway.core.modbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;

import gateway.core.api.AccessMode;
import gateway.core.api.DataType;
import gateway.core.api.Quality;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

class RegisterCodecTest {

    private static final Instant AT = Instant.parse("2026-11-27T12:00:00Z");

    private static SensorDefinition sensor(DataType type, double scale, long... invalid) {
        return SensorDefinition.builder("s_" + type.name().toLowerCase()).type(type).kind(RegisterKind.HOLDING)
                .address(100).scale(scale).access(AccessMode.READ_WRITE).invalid(invalid).build();
    }

    private static SensorReading decode(SensorDefinition s, WordOrder o, int... regs) {
        return RegisterCodec.decode(s, regs, 0, o, AT);
    }

    // IDM fact sheet §2: PV surplus 4.14 kW = float 0x40847AE1 sent as registers [0x7AE1, 0x4084].
    @Test
    void decodesIdmFloatLowWordFirst() {
        assertEquals(4.14f, RegisterCodec.toFloat(new int[] {0x7AE1, 0x4084}, 0, WordOrder.LOW_WORD_FIRST));
        SensorReading r = decode(sensor(DataType.FLOAT32, 1), WordOrder.LOW_WORD_FIRST, 0x7AE1, 0x4084);
        assertEquals(Quality.GOOD, r.quality());
        assertEquals(4.14, r.value(), 1e-6);
    }

    @Test
    void encodesIdmFloatLowWordFirst() {
        assertArrayEquals(new int[] {0x7AE1, 0x4084}, RegisterCodec.fromFloat(4.14f, WordOrder.LOW_WORD_FIRST));
        assertArrayEquals(new int[] {0x7AE1, 0x4084},
                RegisterCodec.encode(sensor(DataType.FLOAT32, 1), 4.14, WordOrder.LOW_WORD_FIRST));
        assertArrayEquals(new int[] {0x4084, 0x7AE1},
                RegisterCodec.encode(sensor(DataType.FLOAT32, 1), 4.14, WordOrder.HIGH_WORD_FIRST));
    }

    @Test
    void readsDecodedFromAnOffsetInsideABlock() {
        SensorReading r = RegisterCodec.decode(sensor(DataType.FLOAT32, 1), new int[] {1, 2, 0x7AE1, 0x4084}, 2,
                WordOrder.LOW_WORD_FIRST, AT);
        assertEquals(4.14, r.value(), 1e-6);
    }

    // IDM: FLOAT -1.0 means "not available".
    @Test
    void idmFloatMinusOneIsInvalid() {
        int[] regs = RegisterCodec.fromFloat(-1.0f, WordOrder.LOW_WORD_FIRST);
        assertEquals(Quality.INVALID, decode(sensor(DataType.FLOAT32, 1, -1), WordOrder.LOW_WORD_FIRST, regs).quality());
        int[] other = RegisterCodec.fromFloat(-1.5f, WordOrder.LOW_WORD_FIRST);
        assertEquals(-1.5, decode(sensor(DataType.FLOAT32, 1, -1), WordOrder.LOW_WORD_FIRST, other).value(), 1e-9);
    }

    @Test
    void nanAndInfinityFloatsAreInvalid() {
        SensorDefinition s = sensor(DataType.FLOAT32, 1);
        assertEquals(Quality.INVALID,
                decode(s, WordOrder.HIGH_WORD_FIRST, RegisterCodec.fromFloat(Float.NaN, WordOrder.HIGH_WORD_FIRST)).quality());
        assertEquals(Quality.INVALID, decode(s, WordOrder.HIGH_WORD_FIRST, 0x7F80, 0x0000).quality());
        assertEquals(Quality.INVALID, decode(s, WordOrder.HIGH_WORD_FIRST, 0xFF80, 0x0000).quality());
    }

    // IDM WORD is signed: pump status 0xFFFF means -1 ("off"), a real value, not a sentinel.
    @Test
    void signedInt16ReadsFfffAsMinusOne() {
        SensorReading r = decode(sensor(DataType.INT16, 1), WordOrder.LOW_WORD_FIRST, 0xFFFF);
        assertEquals(Quality.GOOD, r.quality());
        assertEquals(-1.0, r.value());
        assertEquals(65535.0, decode(sensor(DataType.UINT16, 1), WordOrder.LOW_WORD_FIRST, 0xFFFF).value());
    }

    // NIBE fact sheet §3: s8 -128 (0x80), u8 0xFF, s16 -32768, u16 0xFFFF, s32 MIN, u32 0xFFFFFFFF.
    @Test
    void nibeSentinelsAreInvalid() {
        WordOrder o = WordOrder.LOW_WORD_FIRST;
        assertEquals(Quality.INVALID, decode(sensor(DataType.INT16, 0.1, -32768), o, 0x8000).quality());
        assertEquals(Quality.INVALID, decode(sensor(DataType.UINT16, 1, 0xFFFF), o, 0xFFFF).quality());
        assertEquals(Quality.INVALID, decode(sensor(DataType.INT8, 1, -128), o, 0xFF80).quality());
        assertEquals(Quality.INVALID, decode(sensor(DataType.INT8, 1, 0x80), o, 0x0080).quality());
        assertEquals(Quality.INVALID, decode(sensor(DataType.UINT8, 1, 0xFF), o, 0x00FF).quality());
        assertEquals(Quality.INVALID, decode(sensor(DataType.INT32, 1, Integer.MIN_VALUE), o, 0x0000, 0x8000).quality());
        assertEquals(Quality.INVALID, decode(sensor(DataType.INT32, 1, 0x80000000L), o, 0x0000, 0x8000).quality());
        assertEquals(Quality.INVALID, decode(sensor(DataType.UINT32, 1, 0xFFFFFFFFL), o, 0xFFFF, 0xFFFF).quality());
        // neighbours of a sentinel are values
        assertEquals(-3276.7, decode(sensor(DataType.INT16, 0.1, -32768), o, 0x8001).value(), 1e-9);
        assertEquals(254.0, decode(sensor(DataType.UINT8, 1, 0xFF), o, 0x00FE).value());
    }

    // IDM UCHAR "not available" is reported as 0xFFFF (whole register) by one integration and 255 by another.
    @Test
    void ucharSentinelMatchesWholeRegister() {
        assertEquals(Quality.INVALID, decode(sensor(DataType.UINT8, 1, 0xFFFF), WordOrder.LOW_WORD_FIRST, 0xFFFF).quality());
        assertEquals(Quality.INVALID, decode(sensor(DataType.UINT8, 1, 255), WordOrder.LOW_WORD_FIRST, 0xFFFF).quality());
    }

    // Daikin fact sheet §2: 32767 unsupported, 32766 unavailable, 32765 wait; never scaled.
    @Test
    void daikinSentinelsAreInvalidBeforeScaling() {
        SensorDefinition s = sensor(DataType.INT16, 0.01, 32767, 32766, 32765);
        for (int raw : new int[] {32767, 32766, 32765}) {
            SensorReading r = decode(s, WordOrder.HIGH_WORD_FIRST, raw);
            assertEquals(Quality.INVALID, r.quality(), "raw " + raw);
            assertEquals(null, r.value());
        }
        assertEquals(327.64, decode(s, WordOrder.HIGH_WORD_FIRST, 32764).value(), 1e-9);
    }

    // NIBE: raw 215 with factor 10 is 21.5 °C; Daikin: ÷100.
    @Test
    void appliesDivisors() {
        assertEquals(21.5, decode(sensor(DataType.INT16, 0.1), WordOrder.LOW_WORD_FIRST, 215).value(), 1e-9);
        assertEquals(-10.0, decode(sensor(DataType.INT16, 0.1), WordOrder.LOW_WORD_FIRST, 0xFF9C).value(), 1e-9);
        assertEquals(45.67, decode(sensor(DataType.INT16, 0.01), WordOrder.HIGH_WORD_FIRST, 4567).value(), 1e-9);
        assertArrayEquals(new int[] {215}, RegisterCodec.encode(sensor(DataType.INT16, 0.1), 21.5, WordOrder.LOW_WORD_FIRST));
    }

    // NIBE §3: 32-bit read low word first: [1, 0] -> 1, [0xFFF6, 0xFFFF] -> -10, 20.5 °C (factor 10) is [205, 0].
    @Test
    void decodesNibeThirtyTwoBitWordOrders() {
        assertEquals(1.0, decode(sensor(DataType.INT32, 1), WordOrder.LOW_WORD_FIRST, 1, 0).value());
        assertEquals(-10.0, decode(sensor(DataType.INT32, 1), WordOrder.LOW_WORD_FIRST, 0xFFF6, 0xFFFF).value());
        assertEquals(20.5, decode(sensor(DataType.INT32, 0.1), WordOrder.LOW_WORD_FIRST, 205, 0).value(), 1e-9);
        // NIBE writes high word first (nibe#314): [0, 205]
        assertArrayEquals(new int[] {0, 205}, RegisterCodec.encode(sensor(DataType.INT32, 0.1), 20.5, WordOrder.HIGH_WORD_FIRST));
        assertEquals(0xFFFFFFF6L, RegisterCodec.toLong32(new int[] {0xFFF6, 0xFFFF}, 0, WordOrder.LOW_WORD_FIRST, false));
        assertEquals(-10L, RegisterCodec.toLong32(new int[] {0xFFFF, 0xFFF6}, 0, WordOrder.HIGH_WORD_FIRST, true));
    }

    // IDM 1090: bit field 0 off, 1 heating, 2 cooling, 4 DHW, 8 defrost.
    @Test
    void bitfieldLabelsSetBits() {
        SensorDefinition s = SensorDefinition.builder("hp_state").type(DataType.BITFIELD).address(1090)
                .enumValue(0, "off").enumValue(1, "heating").enumValue(2, "cooling").enumValue(4, "DHW")
                .enumValue(8, "defrost").build();
        SensorReading five = decode(s, WordOrder.LOW_WORD_FIRST, 5);
        assertEquals("heating, DHW", five.text());
        assertEquals(5.0, five.value());
        assertEquals("off", decode(s, WordOrder.LOW_WORD_FIRST, 0).text());
        assertEquals("cooling, defrost, bit 4", decode(s, WordOrder.LOW_WORD_FIRST, 0x1A).text());
    }

    // IDM 1005 system mode; NIBE priority enum in steps of 10.
    @Test
    void enumLabelsAndUnknownValues() {
        SensorDefinition s = SensorDefinition.builder("priority").type(DataType.ENUM).address(1028)
                .enumValue(10, "Off").enumValue(20, "Hot water").enumValue(30, "Heat").invalid(0xFFFF).build();
        assertEquals("Hot water", decode(s, WordOrder.LOW_WORD_FIRST, 20).text());
        SensorReading unknown = decode(s, WordOrder.LOW_WORD_FIRST, 50);
        assertEquals(Quality.GOOD, unknown.quality());
        assertEquals(50.0, unknown.value());
        assertEquals("unknown (50)", unknown.text());
        assertEquals(Quality.INVALID, decode(s, WordOrder.LOW_WORD_FIRST, 0xFFFF).quality());
    }

    @Test
    void boolReadsZeroOrOne() {
        assertEquals(1.0, decode(sensor(DataType.BOOL, 1), WordOrder.LOW_WORD_FIRST, 1).value());
        assertEquals(0.0, decode(sensor(DataType.BOOL, 1), WordOrder.LOW_WORD_FIRST, 0).value());
        assertArrayEquals(new int[] {1}, RegisterCodec.encode(sensor(DataType.BOOL, 1), 1, WordOrder.LOW_WORD_FIRST));
        assertThrows(IllegalArgumentException.class,
                () -> RegisterCodec.encode(sensor(DataType.BOOL, 1), 2, WordOrder.LOW_WORD_FIRST));
    }

    // IDM UCHAR: the value sits in the low byte, high byte 0.
    @Test
    void eightBitValuesLiveInTheLowByte() {
        assertArrayEquals(new int[] {46}, RegisterCodec.encode(sensor(DataType.UINT8, 1), 46, WordOrder.LOW_WORD_FIRST));
        assertEquals(46.0, decode(sensor(DataType.UINT8, 1), WordOrder.LOW_WORD_FIRST, 46).value());
        // NIBE s8 is sign-extended into the register
        assertArrayEquals(new int[] {0xFFFB}, RegisterCodec.encode(sensor(DataType.INT8, 1), -5, WordOrder.LOW_WORD_FIRST));
        assertEquals(-5.0, decode(sensor(DataType.INT8, 1), WordOrder.LOW_WORD_FIRST, 0xFFFB).value());
    }

    @Test
    void refusesValuesOutsideTheTypeRange() {
        WordOrder o = WordOrder.HIGH_WORD_FIRST;
        assertThrows(IllegalArgumentException.class, () -> RegisterCodec.encode(sensor(DataType.UINT8, 1), 256, o));
        assertThrows(IllegalArgumentException.class, () -> RegisterCodec.encode(sensor(DataType.UINT8, 1), -1, o));
        assertThrows(IllegalArgumentException.class, () -> RegisterCodec.encode(sensor(DataType.INT8, 1), 128, o));
        assertThrows(IllegalArgumentException.class, () -> RegisterCodec.encode(sensor(DataType.INT16, 0.1), 3276.8, o));
        assertThrows(IllegalArgumentException.class, () -> RegisterCodec.encode(sensor(DataType.UINT16, 1), 65536, o));
        assertThrows(IllegalArgumentException.class, () -> RegisterCodec.encode(sensor(DataType.UINT32, 1), -1, o));
        assertThrows(IllegalArgumentException.class, () -> RegisterCodec.encode(sensor(DataType.INT32, 1), 2147483648.0, o));
        assertThrows(IllegalArgumentException.class, () -> RegisterCodec.encode(sensor(DataType.FLOAT32, 1), Double.NaN, o));
        assertThrows(IllegalArgumentException.class, () -> RegisterCodec.encode(sensor(DataType.FLOAT32, 1), 1e39, o));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RegisterCodec.encode(sensor(DataType.INT16, 1), 40000, o));
        assertTrue(e.getMessage().contains("INT16"), e.getMessage());
    }

    @Test
    void everyRegisterTypeRoundTrips() {
        Random random = new Random(42);
        for (DataType type : DataType.values()) {
            if (type == DataType.STRING) {
                continue;
            }
            for (WordOrder o : WordOrder.values()) {
                for (double scale : new double[] {1, 0.1, 0.01}) {
                    SensorDefinition s = sensor(type, scale);
                    for (int i = 0; i < 200; i++) {
                        double value = randomValue(type, scale, random);
                        int[] regs = RegisterCodec.encode(s, value, o);
                        assertEquals(type.registers(), regs.length);
                        for (int r : regs) {
                            assertTrue(r >= 0 && r <= 0xFFFF, type + " register out of 16 bits: " + r);
                        }
                        SensorReading back = RegisterCodec.decode(s, regs, 0, o, AT);
                        assertEquals(Quality.GOOD, back.quality(), type + " " + value);
                        double tolerance = type == DataType.FLOAT32 ? Math.abs(value) * 1e-6 + 1e-6 : 1e-6;
                        assertEquals(value, back.value(), tolerance, type + " " + o + " scale " + scale);
                    }
                }
            }
        }
    }

    @Test
    void stringRegisterReadsTwoCharactersHighByteFirst() {
        // Daikin input 22: 0x5535 -> "U5"
        SensorDefinition s = SensorDefinition.builder("error_code").type(DataType.STRING).kind(RegisterKind.INPUT)
                .address(21).build();
        assertEquals("U5", decode(s, WordOrder.HIGH_WORD_FIRST, 0x5535).text());
    }

    @Test
    void stringRegisterHoldingASentinelIsInvalidNotEmptyText() {
        // Daikin: 32767 unsupported, 32766 unavailable, 32765 wait (fact sheet §2), on every register
        SensorDefinition s = SensorDefinition.builder("error_code").type(DataType.STRING).kind(RegisterKind.INPUT)
                .address(21).invalid(32767, 32766, 32765).build();
        for (int raw : new int[] {32767, 32766, 32765}) {
            SensorReading r = decode(s, WordOrder.HIGH_WORD_FIRST, raw);
            assertEquals(Quality.INVALID, r.quality(), "raw " + raw);
            assertNull(r.text());
        }
        assertEquals("U4", decode(s, WordOrder.HIGH_WORD_FIRST, 0x5534).text());
    }

    private static double randomValue(DataType type, double scale, Random random) {
        boolean scaled = type != DataType.ENUM && type != DataType.BITFIELD && type != DataType.BOOL;
        long lo = RegisterCodec.minRaw(type);
        long hi = RegisterCodec.maxRaw(type);
        if (type == DataType.FLOAT32) {
            return (random.nextDouble() - 0.5) * 2000;
        }
        long raw = lo + (long) (random.nextDouble() * (hi - lo + 1));
        raw = Math.min(hi, raw);
        return scaled ? raw * scale : raw;
    }
}
