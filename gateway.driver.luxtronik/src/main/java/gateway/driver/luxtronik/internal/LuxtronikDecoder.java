package gateway.driver.luxtronik.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.driver.luxtronik.internal.LuxtronikMap.Point;

/** Raw table values → readings, per the conversions of fact sheet §3. Pure functions. */
final class LuxtronikDecoder {

    /** V1.90.0 / V2.90.0 reboot on every parameter write (fact sheet §7); the sheet advises locking out *.90.*. */
    private static final Pattern REBOOTS_ON_WRITE = Pattern.compile("(?i)^v?\\d+\\.90(\\..*)?$");

    private LuxtronikDecoder() {
    }

    static boolean firmwareRebootsOnWrite(String firmware) {
        return firmware != null && REBOOTS_ON_WRITE.matcher(firmware.trim()).matches();
    }

    static String writeRefusalForFirmware(String firmware) {
        return "Writes are disabled for Luxtronik firmware " + firmware.trim() + ": firmware V1.90.0/V2.90.0 (*.90.*) "
                + "reboots the controller on every parameter write, which then drops off the network for 1–2 minutes. "
                + "Change the value on the controller's display, or update the firmware.";
    }

    /** Decodes one sensor from its table (calculations or parameters); INVALID when the reply is too short. */
    static SensorReading decode(Point point, int[] table, Instant at) {
        SensorDefinition s = point.sensor();
        int index = s.address();
        if (index < 0 || index + point.span() > table.length) {
            return SensorReading.invalid(s.id(), "index " + index + " not provided by this firmware (table has "
                    + table.length + " entries)", at);
        }
        int raw = table[index];
        switch (point.conversion()) {
            case SCALED:
                return SensorReading.good(s.id(), raw * s.scale() + s.offset(), null, at);
            case HEAT_QUANTITY:
                return SensorReading.good(s.id(), correctHeatQuantity(raw) * s.scale(), null, at);
            case BOOL:
                return SensorReading.good(s.id(), raw != 0 ? 1 : 0, raw != 0 ? "on" : "off", at);
            case ENUM:
                return SensorReading.good(s.id(), raw, enumText(s.enumValues(), raw), at);
            case BITFIELD: {
                int bits = 0;
                List<String> set = new ArrayList<>();
                for (int i = 0; i < point.span(); i++) {
                    if (table[index + i] != 0) {
                        bits |= 1 << i;
                        set.add(s.enumValues().getOrDefault(1 << i, "bit " + i));
                    }
                }
                return SensorReading.good(s.id(), bits, String.join(", ", set), at);
            }
            case IPV4:
                return SensorReading.text(s.id(), ipv4(raw), at);
            case TIMESTAMP:
                if (raw <= 0) {
                    return SensorReading.invalid(s.id(), "no time recorded", at);
                }
                // The controller counts epoch seconds in its local time, so print without a zone.
                return SensorReading.good(s.id(), raw, LocalDateTime.ofEpochSecond(raw, 0, ZoneOffset.UTC).toString(),
                        at);
            case CHARACTERS:
                return SensorReading.text(s.id(), characters(table, index, point.span()), at);
            case MAJOR_MINOR:
                return SensorReading.text(s.id(), (raw / 100) + "." + (raw % 100), at);
            default:
                return SensorReading.error(s.id(), "no conversion for " + point.conversion(), at);
        }
    }

    static int correctHeatQuantity(int raw) {
        return raw >= LuxtronikMap.HEAT_QUANTITY_BUG_OFFSET ? raw - LuxtronikMap.HEAT_QUANTITY_BUG_OFFSET : raw;
    }

    static String ipv4(int raw) {
        return ((raw >>> 24) & 0xFF) + "." + ((raw >>> 16) & 0xFF) + "." + ((raw >>> 8) & 0xFF) + "." + (raw & 0xFF);
    }

    /** One ASCII char per index; 0 ends the string (fact sheet §3 "Character"). */
    static String characters(int[] table, int first, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = first; i < first + count && i < table.length; i++) {
            int c = table[i];
            if (c == 0) {
                break;
            }
            if (c >= 32 && c < 127) {
                sb.append((char) c);
            }
        }
        return sb.toString().trim();
    }

    private static String enumText(Map<Integer, String> labels, int raw) {
        String label = labels.get(raw);
        return label != null ? label : "unknown (" + raw + ")";
    }
}
