package gateway.ml.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Streaming Half-Space Trees (Tan, Ting &amp; Liu, "Fast Anomaly Detection for Streaming Data", IJCAI 2011) over
 * features already scaled to [0, 1].
 *
 * <p>Each tree is a complete binary tree of {@code height} levels whose splits are fixed before any data arrives: a
 * node splits one feature at a random point inside the middle of the node's current range of that feature (a padding
 * keeps splits away from the edges), and its children narrow that range. Unlike River, which draws the feature at
 * random at every node, a tree goes through its features in its own random order, level by level: with 15 features
 * and 15 levels a random draw leaves a given feature out of a path about a third of the time, so a fault that moves a
 * single feature (the flow − return spread) could never be isolated by more than ~2/3 of the trees. Every node counts the
 * samples of two windows: {@code l} (the latest, being filled) and {@code r} (the reference, the previous full
 * window). After {@code window} samples the latest becomes the reference and counting starts again.
 *
 * <p>Memory: the trees are never materialised. A node's split is a pure function of (seed, tree, node index), and
 * only nodes that hold mass are stored, in one open-addressing table per tree. A complete tree of height 15 would have
 * 65,535 nodes; the table holds at most {@code 2 × window × (height + 1)} of them and in practice far fewer.
 *
 * <p>Score: walking a sample down each tree, the walk stops at the first node whose reference mass is below
 * {@code sizeLimit} (or at a leaf); that node's {@code r × 2^depth} is the paper's mass profile. We take
 * {@code log2(1 + r × 2^depth)} averaged over the trees and compare it with the typical value:
 * {@code anomaly = 1 − profile / typical}, clamped to [0, 1]. The typical value starts as the profile the first
 * reference window's own samples have against it (computed from the masses), then follows the scored samples as a
 * moving average over about one window. A sample that falls outside the reference mass in every
 * tree scores 1; a typical sample scores about 0. Roughly, the score is the share of trees that isolate it.
 */
public final class HalfSpaceTrees {

    /** Keeps random splits away from the edges of a node's range (as in River's implementation). */
    static final double PADDING = 0.15;

    /**
     * The feature orders and profile tables depend on the settings alone, and every device's models have the same
     * ones: one copy for all (read-only once made) instead of about 7 KB per model.
     */
    private static final Map<List<Long>, int[][]> FEATURE_ORDERS = new ConcurrentHashMap<>();
    private static final Map<List<Integer>, double[][]> PROFILES = new ConcurrentHashMap<>();

    private final int dimensions;
    private final int trees;
    private final int height;
    private final int window;
    private final long seed;
    private final int sizeLimit;
    private final MassTable[] tables;
    /** Per tree, the order in which its levels split the features. */
    private final int[][] featureOrder;
    private int firstWindow;

    /** Samples learned into the latest window so far. */
    private int filled;
    /** Windows completed (0 = no reference yet, every score is 0). */
    private long windows;
    /** Typical log mass profile of recent samples: the "normal" level scores compare with. */
    private double typicalProfile;

    /** Profiles by (depth, mass) below the size limit, and at the leaves by mass. */
    private final double[] belowLimit;
    private final double[] atLeaf;

    // scratch, reused per sample (one model is used by one thread at a time)
    private final double[] lo;
    private final double[] hi;

    public HalfSpaceTrees(int dimensions, int trees, int height, int window, long seed) {
        this(dimensions, trees, height, window, seed, 0);
    }

    /** @param sizeLimit reference mass below which a walk stops scoring; 0 = 10 % of the window (the paper's) */
    public HalfSpaceTrees(int dimensions, int trees, int height, int window, long seed, int sizeLimit) {
        if (dimensions < 1 || trees < 1 || height < 1 || height > 30 || window < 2) {
            throw new IllegalArgumentException("dimensions " + dimensions + ", trees " + trees + ", height " + height
                    + ", window " + window);
        }
        this.dimensions = dimensions;
        this.trees = trees;
        this.height = height;
        this.window = window;
        this.seed = seed;
        // the paper: a node is trusted while it holds at least 10 % of a window
        this.sizeLimit = effectiveSizeLimit(window, sizeLimit);
        this.tables = new MassTable[trees];
        for (int t = 0; t < trees; t++) {
            tables[t] = new MassTable(64);
        }
        this.featureOrder = FEATURE_ORDERS.computeIfAbsent(List.of(seed, (long) trees, (long) dimensions),
                k -> featureOrders(seed, trees, dimensions));
        this.lo = new double[dimensions];
        this.hi = new double[dimensions];
        this.firstWindow = window;
        double[][] profiles = PROFILES.computeIfAbsent(List.of(height, window, this.sizeLimit),
                k -> profileTables(height, window, k.get(2)));
        this.belowLimit = profiles[0];
        this.atLeaf = profiles[1];
    }

    /** Per tree, the order in which its levels split the features: a shuffle driven by the seed. */
    private static int[][] featureOrders(long seed, int trees, int dimensions) {
        int[][] orders = new int[trees][dimensions];
        for (int t = 0; t < trees; t++) {
            int[] order = orders[t];
            for (int i = 0; i < dimensions; i++) {
                order[i] = i;
            }
            for (int i = dimensions - 1; i > 0; i--) { // Fisher-Yates, driven by the seed
                int j = (int) (((mix(seed + 0x632BE59BD9B4E019L * (t + 1) + i) >>> 32) * (i + 1)) >>> 32);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
        }
        return orders;
    }

    /** The profiles below the size limit by (depth, mass), and at the leaves by mass. */
    private static double[][] profileTables(int height, int window, int sizeLimit) {
        double[] belowLimit = new double[(height + 1) * sizeLimit];
        for (int d = 0; d <= height; d++) {
            for (int r = 0; r < sizeLimit; r++) {
                belowLimit[d * sizeLimit + r] = log2(1 + (double) r * (1L << d));
            }
        }
        double[] atLeaf = new double[window + 1]; // a node's reference mass is at most a window
        for (int r = 0; r <= window; r++) {
            atLeaf[r] = log2(1 + (double) r * (1L << height));
        }
        return new double[][] { belowLimit, atLeaf };
    }

    /**
     * Lets the first reference be formed after {@code samples} instead of a whole window, so a rarely used mode (hot
     * water: a few dozen samples a day) is scored after its warm-up rather than after weeks; later windows are full.
     */
    public HalfSpaceTrees firstWindow(int samples) {
        this.firstWindow = Math.max(2, Math.min(window, samples));
        return this;
    }

    public int dimensions() {
        return dimensions;
    }

    public int trees() {
        return trees;
    }

    public int height() {
        return height;
    }

    public int window() {
        return window;
    }

    public long seed() {
        return seed;
    }

    public int sizeLimit() {
        return sizeLimit;
    }

    /** The size limit in force: {@code configured}, or 10 % of the window when it is 0. */
    public static int effectiveSizeLimit(int window, int configured) {
        return configured > 0 ? configured : Math.max(1, window / 10);
    }

    /** True once a full window has become the reference, so scores mean something. */
    public boolean ready() {
        return windows > 0;
    }

    public long windowsCompleted() {
        return windows;
    }

    /** Scores {@code x} against the reference window, then counts it into the latest window. */
    public double scoreAndLearn(double[] x) {
        double profile = 0;
        for (int t = 0; t < trees; t++) {
            profile += walk(t, x, true);
        }
        profile /= trees;
        double score = score(profile);
        if (windows > 0) {
            typicalProfile += (profile - typicalProfile) / window;
        }
        if (++filled >= (windows == 0 ? firstWindow : window)) {
            swapWindows();
        }
        return score;
    }

    /** Scores {@code x} without learning it. */
    public double score(double[] x) {
        double profile = 0;
        for (int t = 0; t < trees; t++) {
            profile += walk(t, x, false);
        }
        return score(profile / trees);
    }

    private double score(double profile) {
        if (windows == 0 || !(typicalProfile > 0)) {
            return 0;
        }
        double s = 1 - profile / typicalProfile;
        return s < 0 ? 0 : Math.min(1, s);
    }

    /**
     * Walks tree {@code t} to the leaf, adding 1 to the latest mass of every node on the path when {@code learn}, and
     * returns the log mass profile of the node where scoring stops.
     */
    private double walk(int t, double[] x, boolean learn) {
        int[] order = featureOrder[t];
        // a walk splits at most `height` times, so only the first min(dimensions, height) features of the order move
        for (int i = 0, n = Math.min(dimensions, height); i < n; i++) {
            lo[order[i]] = 0.0;
            hi[order[i]] = 1.0;
        }
        MassTable table = tables[t];
        double profile = -1;
        int node = 1;
        int next = 0;
        long treeSeed = seed ^ (0x9E3779B97F4A7C15L * (t + 1));
        for (int depth = 0; ; depth++) {
            int slot = learn ? table.slotForUpdate(node) : table.find(node);
            int r = slot < 0 ? 0 : table.slots[3 * slot + 1];
            if (learn) {
                table.slots[3 * slot + 2]++;
            }
            if (profile < 0 && (r < sizeLimit || depth == height)) {
                profile = profile(r, depth);
                if (!learn) {
                    return profile;
                }
            }
            if (depth == height) {
                return profile;
            }
            long h = mix(treeSeed ^ ((long) node << 32));
            int q = order[next];
            next = next + 1 == dimensions ? 0 : next + 1;
            double u = (h & 0xFFFFFFL) / (double) 0x1000000L;
            double a = lo[q];
            double b = hi[q];
            double split = a + (b - a) * (PADDING + u * (1 - 2 * PADDING));
            if (x[q] < split) {
                hi[q] = split;
                node = node << 1;
            } else {
                lo[q] = split;
                node = (node << 1) | 1;
            }
        }
    }

    private void swapWindows() {
        filled = 0;
        windows++;
        double sum = 0;
        for (MassTable table : tables) {
            table.swap();
            if (windows == 1) {
                sum += typicalProfile(table);
            }
        }
        if (windows == 1) {
            typicalProfile = sum / trees;
        }
    }

    /**
     * The mean log mass profile the reference window's samples have against the reference itself. A sample's walk
     * stops at the first node of its path below the size limit, or at a leaf; so a node is where {@code r} samples
     * stop when it is below the limit and its parent is not (or it is a leaf at or above the limit).
     */
    private double typicalProfile(MassTable table) {
        double total = 0;
        long samples = 0;
        for (int i = 0; i < table.capacity; i++) {
            int node = table.key(i);
            int r = table.r(i);
            if (node == 0 || r == 0) {
                continue;
            }
            int depth = 31 - Integer.numberOfLeadingZeros(node);
            boolean stops;
            if (r < sizeLimit) {
                stops = node == 1 || massOf(table, node >>> 1) >= sizeLimit;
            } else {
                stops = depth == height;
            }
            if (stops) {
                total += r * log2(1 + (double) r * (1L << depth));
                samples += r;
            }
        }
        return samples == 0 ? 0 : total / samples;
    }

    /** {@code log2(1 + r × 2^depth)}, from the tables where they apply (a logarithm per tree is a tenth of a walk). */
    private double profile(int r, int depth) {
        if (r < sizeLimit) {
            return belowLimit[depth * sizeLimit + r];
        }
        if (depth == height && r < atLeaf.length) {
            return atLeaf[r];
        }
        return log2(1 + (double) r * (1L << depth));
    }

    private static int massOf(MassTable table, int node) {
        int slot = table.find(node);
        return slot < 0 ? 0 : table.r(slot);
    }

    private static double log2(double v) {
        return Math.log(v) * 1.4426950408889634;
    }

    /** SplitMix64's finaliser: a well-mixed hash of a node's identity. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---- state for persistence and tests ---------------------------------------------------------------------

    /** Reference mass of a node (heap index: root 1, children 2i and 2i + 1) in tree {@code t}. */
    public int referenceMass(int t, int node) {
        int slot = tables[t].find(node);
        return slot < 0 ? 0 : tables[t].r(slot);
    }

    /** Latest-window mass of a node in tree {@code t}. */
    public int latestMass(int t, int node) {
        int slot = tables[t].find(node);
        return slot < 0 ? 0 : tables[t].l(slot);
    }

    /** Nodes stored over all trees (those with any mass). */
    public int storedNodes() {
        int n = 0;
        for (MassTable table : tables) {
            n += table.size;
        }
        return n;
    }

    /** Approximate heap bytes of the model: the tables' arrays plus object headers (not the shared tables). */
    public long approximateBytes() {
        long bytes = 64 + 2L * 16 + 16L * dimensions;
        for (MassTable table : tables) {
            bytes += 32 + 16 + 4L * table.slots.length;
        }
        return bytes;
    }

    void writeTo(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeInt(filled);
        out.writeLong(windows);
        out.writeDouble(typicalProfile);
        for (MassTable table : tables) {
            out.writeInt(table.size);
            for (int i = 0; i < table.capacity; i++) {
                if (table.key(i) != 0) {
                    out.writeInt(table.key(i));
                    out.writeInt(table.r(i));
                    out.writeInt(table.l(i));
                }
            }
        }
    }

    void readFrom(java.io.DataInputStream in) throws java.io.IOException {
        filled = in.readInt();
        windows = in.readLong();
        typicalProfile = in.readDouble();
        if (filled < 0 || filled >= window || windows < 0) {
            throw new java.io.IOException("inconsistent window state");
        }
        int maxNode = (1 << (height + 1)) - 1;
        for (int t = 0; t < trees; t++) {
            int n = in.readInt();
            if (n < 0 || n > maxNode) {
                throw new java.io.IOException("bad node count " + n);
            }
            MassTable table = new MassTable(Math.max(64, Integer.highestOneBit(Math.max(1, n)) * 4));
            for (int i = 0; i < n; i++) {
                int node = in.readInt();
                int r = in.readInt();
                int l = in.readInt();
                if (node < 1 || node > maxNode || r < 0 || l < 0) {
                    throw new java.io.IOException("bad node " + node);
                }
                int slot = table.slotForUpdate(node);
                table.slots[3 * slot + 1] = r;
                table.slots[3 * slot + 2] = l;
            }
            tables[t] = table;
        }
    }

    /**
     * Masses of one tree's nodes by heap index: open addressing with linear probing, key 0 = empty. A slot is three
     * ints side by side (node, r, l), so a lookup touches one cache line. Rebuilt at every window swap without the
     * nodes that no longer hold mass, so the table tracks the live windows only.
     */
    static final class MassTable {
        int[] slots;
        int capacity;
        int size;

        MassTable(int capacity) {
            this.capacity = capacity;
            this.slots = new int[3 * capacity];
        }

        int key(int slot) {
            return slots[3 * slot];
        }

        int r(int slot) {
            return slots[3 * slot + 1];
        }

        int l(int slot) {
            return slots[3 * slot + 2];
        }

        int find(int node) {
            int mask = capacity - 1;
            int i = hash(node) & mask;
            while (true) {
                int k = slots[3 * i];
                if (k == node) {
                    return i;
                }
                if (k == 0) {
                    return -1;
                }
                i = (i + 1) & mask;
            }
        }

        int slotForUpdate(int node) {
            int mask = capacity - 1;
            int i = hash(node) & mask;
            while (true) {
                int k = slots[3 * i];
                if (k == node) {
                    return i;
                }
                if (k == 0) {
                    if ((size + 1) * 2 > capacity) {
                        rebuild(capacity * 2, false);
                        return slotForUpdate(node);
                    }
                    slots[3 * i] = node;
                    size++;
                    return i;
                }
                i = (i + 1) & mask;
            }
        }

        private static int hash(int node) {
            return (node * 0x9E3779B1) ^ (node >>> 16);
        }

        /** Copies the live nodes into a table of {@code newCapacity}; with {@code swap}, l becomes r and l is 0. */
        private void rebuild(int newCapacity, boolean swap) {
            int[] old = slots;
            slots = new int[3 * newCapacity];
            capacity = newCapacity;
            size = 0;
            for (int i = 0; i < old.length; i += 3) {
                int node = old[i];
                if (node == 0 || (swap && old[i + 2] == 0)) {
                    continue;
                }
                int s = slotForUpdate(node);
                slots[3 * s + 1] = swap ? old[i + 2] : old[i + 1];
                slots[3 * s + 2] = swap ? 0 : old[i + 2];
            }
        }

        /** The latest window becomes the reference; nodes left without mass are dropped. */
        void swap() {
            int live = 0;
            for (int i = 0; i < slots.length; i += 3) {
                if (slots[i] != 0 && slots[i + 2] > 0) {
                    live++;
                }
            }
            int c = 64;
            while (c < live * 3) {
                c <<= 1;
            }
            rebuild(c, true);
        }
    }
}
