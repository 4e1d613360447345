package gateway.driver.vaillant.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import gateway.driver.vaillant.internal.EbusdProtocol.Outcome;
import gateway.driver.vaillant.internal.EbusdProtocol.Reply;

/** ebusd's command protocol against the fact sheet (§2: port, commands, ERR texts from result.cpp, "-" null). */
class EbusdProtocolGoldenTest {

    private static Outcome outcome(String firstLine) {
        return new Reply(List.of(firstLine)).outcome();
    }

    @Test
    void defaultCommandPortIs8888() {
        assertEquals(8888, EbusdProtocol.DEFAULT_PORT);
        assertEquals(8888, new VaillantDriver().defaultPort());
    }

    @Test
    void readCommandsUseTheCacheWithAMaxAgeOrForceTheBus() {
        assertEquals("read -m 30 -c ctlv2 HwcTempDesired", EbusdProtocol.read("ctlv2", "HwcTempDesired", null, 30,
                false));
        assertEquals("read -f -c hmu State state", EbusdProtocol.read("hmu", "State", "state", 30, true));
        assertEquals("read -m 600 -c 700 DisplayedOutsideTemp",
                EbusdProtocol.read("700", "DisplayedOutsideTemp", null, 600, false));
    }

    @Test
    void writeCommandsNameTheCircuitAndSendPlainDecimalsOrLabels() {
        assertEquals("write -c ctlv2 HwcTempDesired 50", EbusdProtocol.write("ctlv2", "HwcTempDesired",
                EbusdProtocol.formatNumber(50.0)));
        assertEquals("write -c ctlv2 z1DayTemp 20.5", EbusdProtocol.write("ctlv2", "z1DayTemp",
                EbusdProtocol.formatNumber(20.5)));
        assertEquals("0.5", EbusdProtocol.formatNumber(0.5));
        assertEquals("-3", EbusdProtocol.formatNumber(-3.0));
        assertEquals("write -c ctlv2 Z1OpMode auto", EbusdProtocol.write("ctlv2", "Z1OpMode", "auto"));
    }

    @Test
    void namesThatCouldSmuggleAnArgumentOrASecondCommandAreRefused() {
        for (String bad : new String[] {"ctlv2 x", "hmu\nwrite -c hmu HeatCurve 3", "", " hmu", "-f", "a;b"}) {
            assertFalse(EbusdProtocol.validCircuit(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> EbusdProtocol.read(bad, "State", null, 30, false));
        }
        for (String good : new String[] {"hmu", "ctlv2", "ctlv3", "700", "bai", "vwzio", "15.ctlv2"}) {
            assertTrue(EbusdProtocol.validCircuit(good), good);
        }
        assertThrows(IllegalArgumentException.class, () -> EbusdProtocol.write("ctlv2", "HwcTempDesired", "50 x"));
        assertThrows(IllegalArgumentException.class, () -> EbusdProtocol.write("ctlv2", "HwcTempDesired", "50\n"));
    }

    @Test
    void errorRepliesAreClassifiedByEbusdsResultTexts() {
        assertEquals(Outcome.UNAVAILABLE, outcome("ERR: invalid position"));
        assertEquals(Outcome.UNAVAILABLE, outcome("ERR: element not found"));
        assertEquals(Outcome.NO_SIGNAL, outcome("ERR: no signal"));
        for (String bus : new String[] {"ERR: read timeout", "ERR: arbitration lost", "ERR: NAK received",
                "ERR: CRC error"}) {
            assertEquals(Outcome.BUS_ERROR, outcome(bus), bus);
        }
        assertEquals(Outcome.REFUSED, outcome("ERR: not authorized"));
        assertEquals(Outcome.REFUSED, outcome("ERR: argument value out of valid range"));
        assertEquals(Outcome.REFUSED, outcome("usage: read [-f] [-m SECONDS] [-c CIRCUIT] NAME"));
        assertEquals(Outcome.DONE, outcome("done"));
        assertEquals(Outcome.VALUE, outcome("48.5"));
        assertEquals(Outcome.VALUE, outcome("-"));
        assertEquals("no signal", new Reply(List.of("ERR: no signal")).errorText());
        assertNull(new Reply(List.of("12.5")).errorText());
    }

    @Test
    void valuesArriveScaledAsDecimalTextAndEnumsAsTheirNames() {
        assertEquals(12.5, EbusdProtocol.parseNumber("12.5"));
        assertEquals(-3.25, EbusdProtocol.parseNumber(" -3.25 "));
        assertNull(EbusdProtocol.parseNumber("-"));
        assertNull(EbusdProtocol.parseNumber("auto"));
        Map<Integer, String> opmode = VaillantMessages.OPMODE;
        assertEquals(0, EbusdProtocol.parseEnum("off", opmode));
        assertEquals(1, EbusdProtocol.parseEnum("auto", opmode));
        assertEquals(2, EbusdProtocol.parseEnum("Manual", opmode));
        assertEquals(1, EbusdProtocol.parseEnum("1", opmode));
        assertNull(EbusdProtocol.parseEnum("eco", opmode));
    }
}
