package gateway.core.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.airlift.compress.snappy.SnappyDecompressor;

/** The WriteRequest bytes against the protobuf wire format, worked out by hand from the encoding rules. */
class RemoteWriteEncoderTest {

    @Test
    void oneSeriesOneSampleIsTheWireFormatOfTheSpecification() throws Exception {
        RemoteWriteEncoder.Samples s = new RemoteWriteEncoder.Samples();
        s.add(1000, 1.0);
        byte[] raw = RemoteWriteEncoder.writeRequest(List.of(
                new RemoteWriteEncoder.Series(
                RemoteWriteEncoder.labels(new String[] { "__name__", "up" }), s)));
        // WriteRequest.timeseries (field 1, wire type 2) = 0x0a, 30 bytes:
        //   TimeSeries.labels 0x0a, 14 bytes: name 0x0a 08 "__name__", value 0x12 02 "up"
        //   TimeSeries.samples 0x12, 12 bytes: value 0x09 + 1.0 as little-endian double, timestamp 0x10 + varint 1000
        String expected = "0a1e" + "0a0e" + "0a08" + hex("__name__") + "1202" + hex("up")
                + "120c" + "09" + "000000000000f03f" + "10" + "e807";
        assertEquals(expected, HexFormat.of().formatHex(raw));
        byte[] body = RemoteWriteEncoder.snappy(raw);
        byte[] back = new byte[SnappyDecompressor.getUncompressedLength(body, 0)];
        new SnappyDecompressor().decompress(body, 0, body.length, back, 0, back.length);
        assertArrayEquals(raw, back);
        assertEquals(raw.length, body[0], "snappy block format: the length as a varint, no stream header");
    }

    @Test
    void samplesGoOutInTimeOrderAndARepeatedTimeKeepsTheLastValue() throws Exception {
        RemoteWriteEncoder.Samples s = new RemoteWriteEncoder.Samples();
        s.add(3000, 3);
        s.add(1000, 1);
        s.add(2000, 2);
        s.add(1000, 1.5);
        byte[] raw = RemoteWriteEncoder.writeRequest(List.of(
                new RemoteWriteEncoder.Series(
                RemoteWriteEncoder.labels(new String[] { "__name__", "x" }), s)));
        String hex = HexFormat.of().formatHex(raw);
        // the three samples, in order: 1000 → 1.5 (0x3ff8…), 2000 → 2.0 (0x4000…), 3000 → 3.0 (0x4008…)
        String samples = "120c09000000000000f83f10e807" + "120c09000000000000004010d00f"
                + "120c09000000000000084010b817";
        assertEquals(true, hex.endsWith(samples), hex);
        assertEquals(3, s.size());
    }

    private static String hex(String ascii) {
        return HexFormat.of().formatHex(ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
