package gateway.driver.luxtronik.internal;

import static gateway.driver.luxtronik.internal.RawServer.concat;
import static gateway.driver.luxtronik.internal.RawServer.hex;
import static gateway.driver.luxtronik.internal.RawServer.reply;
import static gateway.driver.luxtronik.internal.RawServer.words;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import gateway.core.api.Quality;
import gateway.core.api.SensorReading;

/** Exact bytes from fact sheet luxtronik-2.1.md §2, written out by hand, and their decoding per §3–§7. */
class LuxtronikGoldenFrameTest {

    private static final byte[] REQ_3003 = hex("00 00 0B BB 00 00 00 00");
    private static final byte[] REQ_3004 = hex("00 00 0B BC 00 00 00 00");
    private static final byte[] REQ_3005 = hex("00 00 0B BD 00 00 00 00");
    /** §2: "3002, 105, 480 = 00 00 0B BA 00 00 00 69 00 00 01 E0 (DHW target 48.0 °C)". */
    private static final byte[] REQ_3002_DHW_48 = hex("00 00 0B BA 00 00 00 69 00 00 01 E0");

    private static LuxtronikClient client(RawServer server) {
        return new LuxtronikClient("127.0.0.1", server.port(), 1000, 1000, 3000);
    }

    @Test
    void calculationRequestAndReplyAreTheSheetsBytes() throws Exception {
        // [3004][status 0][N=2][352][-55]
        byte[] replyBytes = hex("00 00 0B BC 00 00 00 00 00 00 00 02 00 00 01 60 FF FF FF C9");
        try (RawServer server = new RawServer(new int[] {8}, reply(replyBytes))) {
            int[] calcs = client(server).readCalculations();
            assertArrayEquals(REQ_3004, server.requests.get(0));
            assertArrayEquals(new int[] {352, -55}, calcs);
        }
    }

    @Test
    void parameterRequestAndReplyHaveNoStatusWord() throws Exception {
        // [3003][N=2][5][480]
        byte[] replyBytes = hex("00 00 0B BB 00 00 00 02 00 00 00 05 00 00 01 E0");
        try (RawServer server = new RawServer(new int[] {8}, reply(replyBytes))) {
            int[] params = client(server).readParameters();
            assertArrayEquals(REQ_3003, server.requests.get(0));
            assertArrayEquals(new int[] {5, 480}, params);
        }
    }

    @Test
    void visibilitiesAreOneSignedBytePerEntry() throws Exception {
        // [3005][N=3] 01 00 01
        byte[] replyBytes = hex("00 00 0B BD 00 00 00 03 01 00 01");
        try (RawServer server = new RawServer(new int[] {8}, reply(replyBytes))) {
            byte[] vis = client(server).readVisibilities();
            assertArrayEquals(REQ_3005, server.requests.get(0));
            assertArrayEquals(new byte[] {1, 0, 1}, vis);
        }
    }

    @Test
    void writeOfHotWaterTargetIsTheSheetsTwelveBytesAndTheEchoIsAccepted() throws Exception {
        try (RawServer server = new RawServer(new int[] {12}, reply(hex("00 00 0B BA 00 00 00 69")))) {
            LuxtronikClient.WriteAck ack = client(server).writeParameter(105, 480);
            assertArrayEquals(REQ_3002_DHW_48, server.requests.get(0));
            assertEquals(3002, ack.echo());
            assertEquals(105, ack.word2());
        }
    }

    @Test
    void oneConnectionCarriesCalculationsParametersAndVisibilitiesInOpenHabOrder() throws Exception {
        byte[] calcs = hex("00 00 0B BC 00 00 00 00 00 00 00 01 00 00 00 07");
        byte[] params = hex("00 00 0B BB 00 00 00 01 00 00 00 03");
        byte[] vis = hex("00 00 0B BD 00 00 00 02 00 01");
        try (RawServer server = new RawServer(new int[] {8, 8, 8}, reply(calcs), reply(params), reply(vis))) {
            LuxtronikClient.Tables t = client(server).read(true, true);
            assertArrayEquals(REQ_3004, server.requests.get(0));
            assertArrayEquals(REQ_3003, server.requests.get(1));
            assertArrayEquals(REQ_3005, server.requests.get(2));
            assertArrayEquals(new int[] {7}, t.calculations());
            assertArrayEquals(new int[] {3}, t.parameters());
            assertArrayEquals(new byte[] {0, 1}, t.visibilities());
            assertEquals(3, t.requests());
            assertEquals(16 + 12 + 10, t.bytes());
        }
    }

    /** A 3004 reply of the sheet's size (N = 269) with the values of §3–§7 at their indices. */
    @Test
    void calculationValuesDecodeAsTheSheetSays() throws Exception {
        int[] c = new int[269];
        c[10] = 352;                          // TVL 35.2 °C
        c[15] = -55;                          // TA -5.5 °C (signed)
        c[29] = 1;                            // input ASD
        c[31] = 1;                            // input EVU
        c[56] = 3600;                         // compressor hours are seconds
        c[80] = 1;                            // operating state 1 = hot water
        c[81] = 'V'; c[82] = '3'; c[83] = '.'; c[84] = '8'; c[85] = '8'; c[86] = '.'; c[87] = '1'; // rest 0
        c[91] = 0xC0A8010A;                   // 192.168.1.10
        c[100] = 716;                         // error: high pressure
        c[151] = 214748364 + 12345;           // heat quantity with the sign bug → 1234.5 kWh
        c[152] = 6789;                        // heat quantity without the bug → 678.9 kWh
        c[180] = 1850;                        // high pressure 18.50 bar
        c[258] = 105;                         // RBE version 1.5
        c[222] = 0;                           // switch-off time never
        byte[] frame = concat(words(3004, 0, 269), words(c));
        try (RawServer server = new RawServer(new int[] {8}, reply(frame))) {
            int[] calcs = client(server).readCalculations();
            Instant now = Instant.now();
            Map<String, Double> expected = Map.of("temp_flow", 35.2, "temp_outdoor", -5.5,
                    "runtime_compressor1", 3600.0, "operating_state", 1.0, "heat_quantity_heating", 1234.5,
                    "heat_quantity_hot_water", 678.9, "pressure_high", 18.5, "digital_inputs", 5.0,
                    "error0_code", 716.0, "input_evu", 1.0);
            expected.forEach((id, value) -> {
                SensorReading r = decode(id, calcs, now);
                assertEquals(Quality.GOOD, r.quality(), id);
                assertEquals(value, r.value(), 1e-9, id);
            });
            assertEquals("Hot water", decode("operating_state", calcs, now).text());
            assertEquals("High pressure", decode("error0_code", calcs, now).text());
            assertEquals("ASD, EVU", decode("digital_inputs", calcs, now).text());
            SensorReading fw = decode("firmware_version", calcs, now);
            assertEquals("V3.88.1", fw.text());
            assertNull(fw.value());
            assertEquals("192.168.1.10", decode("ip_address", calcs, now).text());
            assertEquals("1.5", decode("rbe_version", calcs, now).text());
            assertEquals(Quality.INVALID, decode("switch_off1_time", calcs, now).quality());
        }
    }

    @Test
    void parameterValuesDecodeAsTheSheetSays() {
        int[] p = new int[1160];
        p[105] = 480;   // DHW target 48.0 °C
        p[3] = 4;       // heating mode Off
        p[1] = -15;     // heating curve correction -1.5 °C
        p[1020] = 4;    // Hours2: 1 + 4/2 = 3 h
        Instant now = Instant.now();
        assertEquals(48.0, decode("hot_water_target", p, now).value(), 1e-9);
        assertEquals("Off", decode("heating_mode", p, now).text());
        assertEquals(-1.5, decode("heating_curve_offset", p, now).value(), 1e-9);
        assertEquals(3.0, decode("hot_water_post_heating_max", p, now).value(), 1e-9);
    }

    @Test
    void anIndexBeyondAShortReplyIsInvalidNotAnError() {
        SensorReading r = decode("electrical_power", new int[100], Instant.now());
        assertEquals(Quality.INVALID, r.quality());
    }

    private static SensorReading decode(String id, int[] table, Instant at) {
        return LuxtronikDecoder.decode(LuxtronikMap.point(id).orElseThrow(), table, at);
    }
}
