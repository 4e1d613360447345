package gateway.core.api;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One value a device offers: where it lives, how it is encoded, and how it may be written.
 *
 * <p>Engineering value = raw × {@code scale} + {@code offset}. {@code min}/{@code max} are in engineering units and
 * bound writes. {@code invalidRaw} lists raw sentinels (compared before scaling; for FLOAT32 the float bits are
 * compared as the float value, e.g. -1.0) that mean "not available".
 *
 * @param id           stable id, unique per model (e.g. {@code temp_outdoor}, {@code temp_flow_circuit_a})
 * @param name         English display name
 * @param category     what the value is
 * @param unit         unit symbol (°C, kW, kWh, %, bar, l/min, Hz, h, s) or empty
 * @param dataType     wire type
 * @param access       read/write mode
 * @param registerKind where it lives (Modbus table or Luxtronik table)
 * @param address      raw protocol address (0-based Modbus PDU address, or Luxtronik index)
 * @param scale        multiplier from raw to engineering value
 * @param offset       added after scaling
 * @param min          lowest writable engineering value, or null
 * @param max          highest writable engineering value, or null
 * @param step         writes must be a multiple of this (e.g. 0.5 °C), or null
 * @param enumValues   value (ENUM) or bit value (BITFIELD) to label
 * @param flags        write-care flags
 * @param refreshSeconds period of the required rewrite for {@link SensorFlag#REFRESH_REQUIRED}, else 0
 * @param circuit      heating circuit this sensor belongs to (e.g. "A"), or null
 * @param zone         zone index this sensor belongs to, or null
 * @param invalidRaw   raw sentinels meaning "not available"
 * @param description  extra help text (write rules, prerequisites), may be empty
 */
public record SensorDefinition(
        String id, String name, SensorCategory category, String unit, DataType dataType, AccessMode access,
        RegisterKind registerKind, int address, double scale, double offset, Double min, Double max, Double step,
        Map<Integer, String> enumValues, Set<SensorFlag> flags, int refreshSeconds, String circuit, Integer zone,
        Set<Long> invalidRaw, String description) {

    public SensorDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(registerKind, "registerKind");
        name = name == null ? id : name;
        category = category == null ? SensorCategory.OTHER : category;
        unit = unit == null ? "" : unit;
        description = description == null ? "" : description;
        // most sensors have neither labels nor sentinels: the shared empty ones instead of an empty copy each
        enumValues = enumValues == null || enumValues.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(enumValues));
        flags = flags == null || flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
        invalidRaw = invalidRaw == null || invalidRaw.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(new LinkedHashSet<>(invalidRaw));
        if (scale == 0) {
            throw new IllegalArgumentException("scale 0 for sensor " + id);
        }
    }

    /** Number of Modbus registers the value spans. */
    public int registerCount() {
        return dataType.registers();
    }

    public boolean readable() {
        return access.readable();
    }

    public boolean writable() {
        return access.writable();
    }

    public boolean has(SensorFlag flag) {
        return flags.contains(flag);
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A copy with another id and name (used to expand per-circuit and per-zone templates). */
    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.name = name; b.category = category; b.unit = unit; b.dataType = dataType; b.access = access;
        b.registerKind = registerKind; b.address = address; b.scale = scale; b.offset = offset; b.min = min;
        b.max = max; b.step = step; b.enumValues.putAll(enumValues); b.flags.addAll(flags);
        b.refreshSeconds = refreshSeconds; b.circuit = circuit; b.zone = zone; b.invalidRaw.addAll(invalidRaw);
        b.description = description;
        return b;
    }

    /** Fluent builder; register tables read better with it than with a 20-argument constructor. */
    public static final class Builder {
        private String id;
        private String name;
        private SensorCategory category = SensorCategory.OTHER;
        private String unit = "";
        private DataType dataType = DataType.UINT16;
        private AccessMode access = AccessMode.READ_ONLY;
        private RegisterKind registerKind = RegisterKind.HOLDING;
        private int address;
        private double scale = 1.0;
        private double offset;
        private Double min;
        private Double max;
        private Double step;
        private final Map<Integer, String> enumValues = new LinkedHashMap<>();
        private final Set<SensorFlag> flags = EnumSet.noneOf(SensorFlag.class);
        private int refreshSeconds;
        private String circuit;
        private Integer zone;
        private final Set<Long> invalidRaw = new LinkedHashSet<>();
        private String description = "";

        private Builder(String id) {
            this.id = id;
        }

        public Builder id(String v) { this.id = v; return this; }
        public Builder name(String v) { this.name = v; return this; }
        public Builder category(SensorCategory v) { this.category = v; return this; }
        public Builder unit(String v) { this.unit = v; return this; }
        public Builder type(DataType v) { this.dataType = v; return this; }
        public Builder access(AccessMode v) { this.access = v; return this; }
        public Builder kind(RegisterKind v) { this.registerKind = v; return this; }
        public Builder address(int v) { this.address = v; return this; }
        public Builder scale(double v) { this.scale = v; return this; }
        public Builder offset(double v) { this.offset = v; return this; }
        public Builder range(Number lo, Number hi) {
            this.min = lo == null ? null : lo.doubleValue();
            this.max = hi == null ? null : hi.doubleValue();
            return this;
        }
        public Builder step(Double v) { this.step = v; return this; }
        public Builder enumValue(int value, String label) { this.enumValues.put(value, label); return this; }
        public Builder enumValues(Map<Integer, String> v) { this.enumValues.clear(); this.enumValues.putAll(v); return this; }
        public Builder flag(SensorFlag... v) { for (SensorFlag f : v) { this.flags.add(f); } return this; }
        public Builder refreshSeconds(int v) { this.refreshSeconds = v; if (v > 0) { flags.add(SensorFlag.REFRESH_REQUIRED); } return this; }
        public Builder circuit(String v) { this.circuit = v; return this; }
        public Builder zone(Integer v) { this.zone = v; return this; }
        public Builder invalid(long... raw) { for (long r : raw) { this.invalidRaw.add(r); } return this; }
        public Builder clearInvalid() { this.invalidRaw.clear(); return this; }
        public Builder description(String v) { this.description = v; return this; }

        public SensorDefinition build() {
            return new SensorDefinition(id, name, category, unit, dataType, access, registerKind, address, scale,
                    offset, min, max, step, enumValues, flags, refreshSeconds, circuit, zone, invalidRaw, description);
        }
    }
}
