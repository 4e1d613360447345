package gateway.driver.nibe.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import gateway.core.api.AccessMode;
import gateway.core.api.DataType;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorFlag;

/**
 * Reads the register list a NIBE S-series pump exports (USB / myUplink "Modbus list"): tab separated, columns
 * {@code Title, Register type, Register, Division factor, Unit, Size of variable, Min value, Max value,
 * Default value}. The size is text ({@code s16}) or NIBE's numeric code (1 s8, 2 s16, 3 s32, 4 u8, 5 u16, 6 u32);
 * min/max are raw values ("0 0" = no range). The register column is the raw PDU address; 3xxxx/4xxxx ids are
 * accepted too (see {@link NibeAddress}).
 *
 * <p>Malformed rows are skipped and reported with their line number. A register listed twice (NIBE exports do
 * that) keeps its first row. Exported sensors get the ids {@code reg_input_<pdu>} / {@code reg_holding_<pdu>}.
 */
public final class NibeRegisterExport {

    /** The driver option holding the export text (the upload API stores the file there). */
    public static final String OPTION = gateway.core.api.RegisterImport.DEVICE_OPTION;

    public record LineError(int line, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    public record Result(List<SensorDefinition> sensors, List<LineError> errors) {
        public Result {
            sensors = List.copyOf(sensors);
            errors = List.copyOf(errors);
        }
    }

    private static final String[] COLUMNS = {"title", "register type", "register", "division factor", "unit",
        "size of variable", "min value", "max value", "default value"};

    private NibeRegisterExport() {
    }

    public static String sensorId(RegisterKind kind, int address) {
        return "reg_" + kind.id() + "_" + address;
    }

    public static Result parse(String text) {
        List<SensorDefinition> sensors = new ArrayList<>();
        List<LineError> errors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int[] col = defaultColumns();
        String[] lines = (text == null ? "" : text).split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (cells[0].trim().equalsIgnoreCase("title")) {
                col = headerColumns(cells);
                continue;
            }
            try {
                SensorDefinition s = row(cells, col);
                String key = sensorId(s.registerKind(), s.address());
                if (seen.putIfAbsent(key, lineNo) == null) {
                    sensors.add(s);
                }
            } catch (IllegalArgumentException e) {
                errors.add(new LineError(lineNo, e.getMessage()));
            }
        }
        return new Result(sensors, errors);
    }

    private static int[] defaultColumns() {
        int[] col = new int[COLUMNS.length];
        for (int i = 0; i < col.length; i++) {
            col[i] = i;
        }
        return col;
    }

    /** Follows the header's column order, in case a firmware orders them differently. */
    private static int[] headerColumns(String[] header) {
        int[] col = defaultColumns();
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
            byName.put(header[i].trim().toLowerCase(Locale.ROOT), i);
        }
        for (int c = 0; c < COLUMNS.length; c++) {
            Integer at = byName.get(COLUMNS[c]);
            if (at != null) {
                col[c] = at;
            }
        }
        return col;
    }

    private static String cell(String[] cells, int[] col, int c) {
        int at = col[c];
        return at < cells.length ? cells[at].trim() : "";
    }

    private static SensorDefinition row(String[] cells, int[] col) {
        if (cells.length < 6) {
            throw new IllegalArgumentException("expected at least 6 tab-separated columns, found " + cells.length);
        }
        String title = cell(cells, col, 0);
        RegisterKind kind = kind(cell(cells, col, 1));
        NibeAddress address = NibeAddress.parse(cell(cells, col, 2), kind);
        int factor = factor(cell(cells, col, 3));
        String unit = unit(cell(cells, col, 4));
        DataType type = size(cell(cells, col, 5));
        Long rawMin = raw(cell(cells, col, 6), "min value");
        Long rawMax = raw(cell(cells, col, 7), "max value");

        String id = sensorId(kind, address.address());
        String name = title.isEmpty() || title.equals("-") ? "Register " + kind.id() + " " + address.address() : title;
        SensorDefinition.Builder b = SensorDefinition.builder(id).name(name).kind(kind).address(address.address())
                .type(type).scale(1.0 / factor).unit(unit).category(category(unit, kind))
                .invalid(NibeRegisterMap.sentinels(type)).flag(SensorFlag.ADVANCED)
                .description("from the pump's register export");
        if (kind == RegisterKind.HOLDING) {
            // unknown settings may be EEPROM-backed: let the manager skip writes of unchanged values
            b.access(AccessMode.READ_WRITE).flag(SensorFlag.EEPROM).step(1.0 / factor);
        } else {
            b.access(AccessMode.READ_ONLY);
        }
        if (rawMin != null && rawMax != null && !(rawMin == 0 && rawMax == 0)) {
            if (rawMin > rawMax) {
                throw new IllegalArgumentException("min value " + rawMin + " is above max value " + rawMax);
            }
            b.range((double) rawMin / factor, (double) rawMax / factor);
        }
        return b.build();
    }

    private static RegisterKind kind(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        if (t.contains("INPUT_REGISTER")) {
            return RegisterKind.INPUT;
        }
        if (t.contains("HOLDING_REGISTER")) {
            return RegisterKind.HOLDING;
        }
        if (t.contains("COIL") || t.contains("DISCRETE")) {
            throw new IllegalArgumentException("register type '" + text + "': NIBE S-series has registers only");
        }
        throw new IllegalArgumentException("unknown register type '" + text
                + "' (expected MODBUS_INPUT_REGISTER or MODBUS_HOLDING_REGISTER)");
    }

    private static int factor(String text) {
        try {
            int f = Integer.parseInt(text);
            if (f <= 0) {
                throw new IllegalArgumentException("division factor must be positive, was " + f);
            }
            return f;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("division factor '" + text + "' is not a whole number");
        }
    }

    /** NIBE's numeric size codes (S2125 export) and the text form (S1155 export). */
    static DataType size(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "1", "s8" -> DataType.INT8;
            case "2", "s16" -> DataType.INT16;
            case "3", "s32" -> DataType.INT32;
            case "4", "u8" -> DataType.UINT8;
            case "5", "u16" -> DataType.UINT16;
            case "6", "u32" -> DataType.UINT32;
            case "-", "" -> throw new IllegalArgumentException("no variable size (date/time/text entry), skipped");
            default -> throw new IllegalArgumentException("unknown variable size '" + text + "'");
        };
    }

    private static Long raw(String text, String what) {
        if (text.isEmpty() || text.equals("-")) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a whole number");
        }
    }

    private static String unit(String text) {
        return text.equals("l/m") ? "l/min" : text;
    }

    private static SensorCategory category(String unit, RegisterKind kind) {
        return switch (unit) {
            case "°C" -> kind == RegisterKind.HOLDING ? SensorCategory.SETPOINT : SensorCategory.TEMPERATURE;
            case "kW", "W" -> SensorCategory.POWER;
            case "kWh", "Wh" -> SensorCategory.ENERGY;
            case "Hz" -> SensorCategory.FREQUENCY;
            case "%" -> SensorCategory.PERCENT;
            case "l/min" -> SensorCategory.FLOW;
            case "bar" -> SensorCategory.PRESSURE;
            case "h", "min", "s" -> SensorCategory.TIME;
            default -> kind == RegisterKind.HOLDING ? SensorCategory.CONTROL : SensorCategory.OTHER;
        };
    }
}
