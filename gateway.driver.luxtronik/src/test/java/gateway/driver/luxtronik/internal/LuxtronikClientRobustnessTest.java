package gateway.driver.luxtronik.internal;

import static gateway.driver.luxtronik.internal.RawServer.concat;
import static gateway.driver.luxtronik.internal.RawServer.hex;
import static gateway.driver.luxtronik.internal.RawServer.reply;
import static gateway.driver.luxtronik.internal.RawServer.replyAndClose;
import static gateway.driver.luxtronik.internal.RawServer.replyAndHang;
import static gateway.driver.luxtronik.internal.RawServer.words;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

import gateway.core.api.DeviceException;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceUnreachableException;

/** The client against malformed input from a raw socket: every case a clear exception, in bounded time, no OOM. */
class LuxtronikClientRobustnessTest {

    private static final Duration BOUND = Duration.ofSeconds(20); // a bound for a hang only

    private static LuxtronikClient client(int port) {
        return new LuxtronikClient("127.0.0.1", port, 500, 400, 1500);
    }

    private static <T extends DeviceException> T failsWith(Class<T> type, RawServer server) {
        return assertTimeoutPreemptively(BOUND, () -> assertThrows(type, () -> client(server.port()).readCalculations()));
    }

    @Test
    void truncatedFrameFollowedByCloseIsUnreachable() throws Exception {
        byte[] half = concat(words(3004, 0, 10), words(1, 2, 3));
        try (RawServer server = new RawServer(new int[] {8}, replyAndClose(half))) {
            DeviceUnreachableException e = failsWith(DeviceUnreachableException.class, server);
            assertTrue(e.getMessage().contains("of 40 bytes"), e.getMessage());
        }
    }

    @Test
    void truncatedFrameFollowedBySilenceTimesOut() throws Exception {
        byte[] half = concat(words(3004, 0, 10), words(1, 2, 3));
        try (RawServer server = new RawServer(new int[] {8}, replyAndHang(half))) {
            long t0 = System.nanoTime();
            failsWith(DeviceUnreachableException.class, server);
            assertTrue(System.nanoTime() - t0 < Duration.ofMillis(2500).toNanos());
        }
    }

    @Test
    void wrongEchoIsAProtocolError() throws Exception {
        try (RawServer server = new RawServer(new int[] {8}, reply(words(3003, 0, 0)))) {
            DeviceProtocolException e = failsWith(DeviceProtocolException.class, server);
            assertTrue(e.getMessage().contains("3003"), e.getMessage());
        }
    }

    @Test
    void negativeLengthIsAProtocolError() throws Exception {
        try (RawServer server = new RawServer(new int[] {8}, reply(hex("00 00 0B BC 00 00 00 00 FF FF FF FF")))) {
            failsWith(DeviceProtocolException.class, server);
        }
    }

    @Test
    void hugeLengthIsRefusedBeforeAnyAllocation() throws Exception {
        // 0x7FFFFFFF entries would be 8 GiB; the cap refuses it from the header alone.
        try (RawServer server = new RawServer(new int[] {8},
                replyAndHang(hex("00 00 0B BC 00 00 00 00 7F FF FF FF 00 00 00 01")))) {
            long t0 = System.nanoTime();
            DeviceProtocolException e = failsWith(DeviceProtocolException.class, server);
            assertTrue(e.getMessage().contains("2147483647"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < Duration.ofMillis(1000).toNanos(), "must not wait for the body");
        }
    }

    @Test
    void justAboveTheCapIsRefusedAndAtTheCapIsRead() throws Exception {
        try (RawServer server = new RawServer(new int[] {8}, reply(words(3003, LuxtronikClient.MAX_ENTRIES + 1)))) {
            assertThrows(DeviceProtocolException.class, () -> client(server.port()).readParameters());
        }
        byte[] atCap = concat(words(3003, LuxtronikClient.MAX_ENTRIES), new byte[4 * LuxtronikClient.MAX_ENTRIES]);
        try (RawServer server = new RawServer(new int[] {8}, reply(atCap))) {
            assertEquals(LuxtronikClient.MAX_ENTRIES, client(server.port()).readParameters().length);
        }
    }

    @Test
    void garbageIsAProtocolError() throws Exception {
        byte[] junk = new byte[64];
        new Random(7).nextBytes(junk);
        junk[0] = 0x55; // certainly not 00 00 0B BC
        try (RawServer server = new RawServer(new int[] {8}, reply(junk))) {
            failsWith(DeviceProtocolException.class, server);
        }
    }

    @Test
    void silentServerTimesOutWithinTheReadTimeout() throws Exception {
        try (RawServer server = new RawServer(new int[] {8}, replyAndHang(new byte[0]))) {
            long t0 = System.nanoTime();
            DeviceUnreachableException e = failsWith(DeviceUnreachableException.class, server);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            // hangs for ever without the read timeout; the upper bound is loose so a busy machine cannot fail it
            assertTrue(ms >= 300 && ms < 10_000, "took " + ms + " ms: " + e.getMessage());
        }
    }

    @Test
    void serverDribblingBytesHitsTheWholeExchangeTimeout() throws Exception {
        byte[] frame = concat(words(3004, 0, 100), new byte[400]);
        RawServer.Step dribble = out -> {
            for (byte b : frame) {
                out.write(b);
                out.flush();
                Thread.sleep(100); // always inside the 400 ms read timeout
            }
            return true;
        };
        try (RawServer server = new RawServer(new int[] {8}, dribble)) {
            long t0 = System.nanoTime();
            DeviceUnreachableException e = failsWith(DeviceUnreachableException.class, server);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            // the whole frame takes 41 s at this pace; the bound is loose so a busy machine cannot fail it
            assertTrue(ms < 10_000, "took " + ms + " ms");
            assertTrue(e.getMessage().contains("1500 ms"), e.getMessage());
        }
    }

    @Test
    void unknownTrailingIndicesAreKept() throws Exception {
        int[] values = new int[300];
        values[299] = 4242;
        try (RawServer server = new RawServer(new int[] {8}, reply(concat(words(3004, 0, 300), words(values))))) {
            int[] calcs = client(server.port()).readCalculations();
            assertEquals(300, calcs.length);
            assertEquals(4242, calcs[299]);
        }
    }

    @Test
    void nonZeroStatusWordIsIgnored() throws Exception {
        try (RawServer server = new RawServer(new int[] {8}, reply(words(3004, 17, 1, 99)))) {
            assertEquals(99, client(server.port()).readCalculations()[0]);
        }
    }

    @Test
    void refusedConnectionIsUnreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThrows(DeviceUnreachableException.class, () -> client(port).readCalculations());
    }

    @Test
    void writeAnsweredWithAnotherEchoIsAProtocolError() throws Exception {
        try (RawServer server = new RawServer(new int[] {12}, reply(words(3003, 105)))) {
            assertThrows(DeviceProtocolException.class, () -> client(server.port()).writeParameter(105, 480));
        }
    }

    @Test
    void unansweredWriteIsUnreachable() throws Exception {
        try (RawServer server = new RawServer(new int[] {12}, replyAndClose(new byte[0]))) {
            assertTimeoutPreemptively(BOUND, () -> assertThrows(DeviceUnreachableException.class,
                    () -> client(server.port()).writeParameter(105, 480)));
        }
    }

    @Test
    void nextExchangeStartsNoEarlierThanOneSecondAfterAWrite() throws Exception {
        try (RawServer server = new RawServer(new int[] {12, 8}, reply(words(3002, 105)),
                reply(words(3004, 0, 0)))) {
            LuxtronikClient c = client(server.port());
            c.writeParameter(105, 480);
            c.readCalculations();
            long gapMs = (server.requestNanos.get(1) - server.requestNanos.get(0)) / 1_000_000;
            assertTrue(gapMs >= 1000, "gap " + gapMs + " ms");
        }
    }

    @Test
    void afterAProtocolErrorTheNextPollStartsOnAFreshConnection() throws Exception {
        try (RawServer server = new RawServer(new int[] {8, 8}, replyAndClose(words(9999, 0, 0)),
                reply(words(3004, 0, 1, 5)))) {
            LuxtronikClient c = client(server.port());
            assertThrows(DeviceProtocolException.class, c::readCalculations);
            assertEquals(5, c.readCalculations()[0]);
        }
    }
}
