package gateway.driver.vaillant.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated ebusd byte for byte over a real socket: each reply is its lines ended by {@code \n}, then an empty
 * line (fact sheet §2), with ebusd's texts for values, {@code done}, errors and faults.
 */
class EbusdSimulatorTest {

    private EbusdSimulator sim;
    private Socket socket;

    @BeforeEach
    void start() throws IOException {
        sim = EbusdSimulator.start(0);
        sim.freeze(true);
        socket = new Socket(InetAddress.getLoopbackAddress(), sim.port());
        socket.setSoTimeout(10_000);
    }

    @AfterEach
    void stop() throws IOException {
        socket.close();
        sim.close();
    }

    /** Sends one line and returns every byte up to and including the empty line that ends the reply. */
    private String exchange(String line) throws IOException {
        socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        return readReply();
    }

    private String readReply() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + reply);
            }
            reply.write(b);
            if (b == '\n' && (previous == '\n' || reply.size() == 1)) {
                return reply.toString(StandardCharsets.UTF_8);
            }
            previous = b;
        }
    }

    @Test
    void aReadAnswersTheScaledValueThenAnEmptyLine() throws IOException {
        assertEquals("50.00\n\n", exchange("read -c ctlv2 HwcTempDesired"));
        assertEquals("auto\n\n", exchange("read -m 30 -c ctlv2 Z1OpMode"));
        // the simulated compressor starts heating at time 0: state 0x09, printed in decimal
        assertEquals("9\n\n", exchange("read -f -c hmu State state"));
        assertEquals("0;on;9\n\n", exchange("read -f -c hmu State"), "all fields, ';'-separated");
    }

    @Test
    void aWriteAnswersDoneAndReachesTheController() throws IOException {
        assertEquals("done\n\n", exchange("write -c ctlv2 HwcTempDesired 55"));
        assertEquals(55.0, sim.hotWaterTarget());
        assertEquals(1, sim.writeCount("hot_water_target"));
        assertEquals("ERR: argument value out of valid range\n\n", exchange("write -c ctlv2 HwcTempDesired 80"));
        assertEquals("ERR: element not found\n\n", exchange("write -c hmu FlowTemp 30"), "never the HMU");
        assertEquals(1, sim.writeCount("hot_water_target"));
    }

    @Test
    void errorsUseEbusdsResultTexts() throws IOException {
        assertEquals("ERR: invalid position\n\n", exchange("read -f -c hmu FlowTemp"));
        assertEquals("ERR: element not found\n\n", exchange("read -c hmu NoSuchMessage"));
        assertEquals("ERR: element not found\n\n", exchange("read -c ctlv3 HwcTempDesired"), "other circuit");
        assertTrue(exchange("read").startsWith("usage: read "));
        assertTrue(exchange("write -c ctlv2 HwcTempDesired").startsWith("usage: write "));
    }

    @Test
    void infoListsTheScannedDevicesAndTheCommandsPipelineInOrder() throws IOException {
        String info = exchange("info");
        assertTrue(info.endsWith("\n\n"));
        assertTrue(info.contains("address 08: slave #11, scanned \"MF=Vaillant;ID=HMU00;"), info);
        assertTrue(info.contains("address 15: slave #2, scanned \"MF=Vaillant;ID=CTLV2;"), info);
        assertEquals(info.indexOf("\n\n"), info.length() - 2, "one empty line only, at the end");
        // two requests in one packet: two replies, in order
        socket.getOutputStream().write("read -c ctlv2 z1DayTemp\nread -c ctlv2 z1NightTemp\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertEquals("21.00\n\n", readReply());
        assertEquals("18.00\n\n", readReply());
    }

    @Test
    void theCacheServesReadsYoungerThanMaxAgeAndForcedReadsGoToTheBus() throws IOException {
        long before = sim.busReads();
        exchange("read -m 300 -c ctlv2 DisplayedOutsideTemp");
        exchange("read -m 300 -c ctlv2 DisplayedOutsideTemp");
        exchange("read -c ctlv2 DisplayedOutsideTemp"); // default max age 300 s
        assertEquals(before + 1, sim.busReads());
        exchange("read -f -c ctlv2 DisplayedOutsideTemp");
        exchange("read -m 0 -c ctlv2 DisplayedOutsideTemp");
        assertEquals(before + 3, sim.busReads());
    }

    @Test
    void aWriteDoesNotRefreshTheReadCache() throws IOException {
        assertEquals("50.00\n\n", exchange("read -c ctlv2 HwcTempDesired"));
        assertEquals("done\n\n", exchange("write -c ctlv2 HwcTempDesired 60"));
        assertEquals("50.00\n\n", exchange("read -m 300 -c ctlv2 HwcTempDesired"), "ebusd's cached read");
        assertEquals("60.00\n\n", exchange("read -f -c ctlv2 HwcTempDesired"));
    }

    @Test
    void faultsAnswerNoSignalReadTimeoutAndReplacementValues() throws IOException {
        sim.noSignal(true);
        assertEquals("ERR: no signal\n\n", exchange("read -f -c ctlv2 DisplayedOutsideTemp"));
        assertEquals("ERR: no signal\n\n", exchange("write -c ctlv2 HwcTempDesired 55"));
        sim.noSignal(false);
        sim.readTimeout("HwcStorageTemp", true);
        assertEquals("ERR: read timeout\n\n", exchange("read -f -c ctlv2 HwcStorageTemp"));
        assertEquals("21.00\n\n", exchange("read -f -c ctlv2 z1DayTemp"));
        sim.readTimeouts(true);
        assertEquals("ERR: read timeout\n\n", exchange("read -f -c ctlv2 z1DayTemp"));
        sim.readTimeouts(false);
        sim.nullValue("Z1QuickVetoTemp", true);
        assertEquals("-\n\n", exchange("read -f -c ctlv2 Z1QuickVetoTemp"));
    }

    @Test
    void slowRepliesComeLateButComplete() throws IOException {
        sim.latencyMillis(300);
        long t0 = System.nanoTime();
        assertEquals("21.00\n\n", exchange("read -c ctlv2 z1DayTemp"));
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 300, "the reply waited for the latency");
    }
}
