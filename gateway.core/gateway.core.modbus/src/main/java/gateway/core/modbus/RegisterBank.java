package gateway.core.modbus;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

/**
 * Thread-safe register memory of a simulated Modbus device: which addresses exist per table, which a client may
 * write, and their 16-bit values (coils and discrete inputs hold 0 or 1). Multi-register values are read and
 * written atomically.
 */
public final class RegisterBank {

    /** Told about every write a client makes through {@link #write} (not about {@link #set}). */
    public interface WriteListener {
        void written(RegisterKind kind, int address, int[] values);
    }

    private final Map<RegisterKind, Map<Integer, Integer>> values = new EnumMap<>(RegisterKind.class);
    private final Map<RegisterKind, Set<Integer>> writable = new EnumMap<>(RegisterKind.class);
    private final List<WriteListener> listeners = new CopyOnWriteArrayList<>();

    public synchronized void define(RegisterKind kind, int address, int count, boolean writable) {
        requireModbus(kind);
        for (int a = address; a < address + count; a++) {
            values.computeIfAbsent(kind, k -> new HashMap<>()).putIfAbsent(a, 0);
            if (writable) {
                this.writable.computeIfAbsent(kind, k -> new HashSet<>()).add(a);
            }
        }
    }

    /** Defines the registers of a sensor; writable when the sensor is. */
    public void define(SensorDefinition s) {
        define(s.registerKind(), s.address(), RegisterCodec.span(s.dataType()), s.writable());
    }

    public synchronized boolean defined(RegisterKind kind, int address) {
        Map<Integer, Integer> table = values.get(kind);
        return table != null && table.containsKey(address);
    }

    public synchronized boolean writable(RegisterKind kind, int address) {
        Set<Integer> table = writable.get(kind);
        return table != null && table.contains(address);
    }

    public synchronized int get(RegisterKind kind, int address) {
        Integer v = table(kind).get(address);
        if (v == null) {
            throw new IllegalArgumentException(kind.id() + " " + address + " is not defined");
        }
        return v;
    }

    public synchronized void set(RegisterKind kind, int address, int value) {
        Map<Integer, Integer> table = table(kind);
        if (!table.containsKey(address)) {
            throw new IllegalArgumentException(kind.id() + " " + address + " is not defined");
        }
        table.put(address, value & 0xFFFF);
    }

    /** {@code count} registers from {@code start}, or null when any of them is not defined. */
    public synchronized int[] read(RegisterKind kind, int start, int count) {
        Map<Integer, Integer> table = values.get(kind);
        if (table == null) {
            return null;
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            Integer v = table.get(start + i);
            if (v == null) {
                return null;
            }
            out[i] = v;
        }
        return out;
    }

    /** True when every address of the span is defined (and writable, if asked). */
    public synchronized boolean covers(RegisterKind kind, int start, int count, boolean mustBeWritable) {
        for (int a = start; a < start + count; a++) {
            if (!defined(kind, a) || (mustBeWritable && !writable(kind, a))) {
                return false;
            }
        }
        return true;
    }

    /** A client's write: stores the values and tells the listeners (after the lock is released). */
    public void write(RegisterKind kind, int start, int[] newValues) {
        synchronized (this) {
            for (int i = 0; i < newValues.length; i++) {
                set(kind, start + i, newValues[i]);
            }
        }
        for (WriteListener l : listeners) {
            l.written(kind, start, newValues.clone());
        }
    }

    public void setValue(SensorDefinition s, double engineering, WordOrder order) {
        store(s, RegisterCodec.encode(s, engineering, order));
    }

    /** Stores a raw value (e.g. a sentinel such as 0x8000 or, for FLOAT32, -1). */
    public void setRaw(SensorDefinition s, long raw, WordOrder order) {
        store(s, RegisterCodec.encodeRaw(s, raw, order));
    }

    /** The engineering value the registers hold now; NaN when they hold a sentinel or cannot be decoded. */
    public double getValue(SensorDefinition s, WordOrder order) {
        int[] regs = read(s.registerKind(), s.address(), RegisterCodec.span(s.dataType()));
        if (regs == null) {
            throw new IllegalArgumentException(s.id() + ": registers not defined");
        }
        SensorReading r = RegisterCodec.decode(s, regs, 0, order, Instant.EPOCH);
        return r.good() && r.value() != null ? r.value() : Double.NaN;
    }

    public void onWrite(WriteListener listener) {
        listeners.add(listener);
    }

    private synchronized void store(SensorDefinition s, int[] regs) {
        for (int i = 0; i < regs.length; i++) {
            set(s.registerKind(), s.address() + i, regs[i]);
        }
    }

    private Map<Integer, Integer> table(RegisterKind kind) {
        Map<Integer, Integer> table = values.get(kind);
        return table == null ? Map.of() : table;
    }

    private static void requireModbus(RegisterKind kind) {
        if (!kind.modbus()) {
            throw new IllegalArgumentException(kind.id() + " is not a Modbus register kind");
        }
    }
}
