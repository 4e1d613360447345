package gateway.web.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import gateway.core.api.AccessMode;
import gateway.core.api.AuditLog;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.DashboardTemplate;
import gateway.core.api.DataType;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceSession;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceState;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpCapabilities;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.HistoryStore;
import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.ManufacturerRegistry;
import gateway.core.api.ReadResult;
import gateway.core.api.RegisterImport;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorFlag;
import gateway.core.api.SensorReading;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.UserStore;
import gateway.core.api.WriteRejectedException;
import gateway.core.api.WriteResult;

/** In-memory stand-ins for the core services, recording what the API asked of them. */
final class FakeCore {

    private FakeCore() {
    }

    /**
     * One model, "acme/aw10": Modbus TCP on 502, poll 30 s by default, 5 s at least, circuits A and B; the option
     * {@code pin} is secret.
     */
    static final class Driver implements HeatpumpDriver {
        @Override public String manufacturerId() { return "acme"; }
        @Override public String manufacturerName() { return "ACME Heat"; }
        @Override public String modelId() { return "aw10"; }
        @Override public String modelName() { return "AW 10"; }
        @Override public String protocol() { return "modbus_tcp"; }
        @Override public int defaultPort() { return 502; }
        @Override public int minPollIntervalSeconds() { return 5; }
        @Override public int defaultPollIntervalSeconds() { return 30; }
        /** A secret whose name says nothing: only the driver knows. */
        @Override public java.util.Set<String> secretOptions() { return java.util.Set.of("pin"); }
        /** Outdoor is a sensor of every configuration; hot water names a sensor this model lacks (left out). */
        @Override public Map<gateway.core.api.SensorRole, String> sensorRoles(DeviceConfig deviceConfig) {
            return Map.of(gateway.core.api.SensorRole.OUTDOOR_TEMPERATURE, "temp_outdoor",
                    gateway.core.api.SensorRole.HOT_WATER_TEMPERATURE, "temp_hot_water");
        }

        @Override
        public HeatpumpCapabilities capabilities(DeviceConfig deviceConfig) {
            return new HeatpumpCapabilities(true, false, true, false, false, true, true, true, List.of("A", "B"), 0);
        }

        @Override
        public List<SensorDefinition> sensors(DeviceConfig deviceConfig) {
            List<SensorDefinition> out = new ArrayList<>();
            out.add(SensorDefinition.builder("temp_outdoor").name("Outdoor temperature")
                    .category(SensorCategory.TEMPERATURE).unit("°C").type(DataType.FLOAT32)
                    .kind(RegisterKind.INPUT).address(1000).build());
            out.add(SensorDefinition.builder("setpoint_hot_water").name("Hot water setpoint")
                    .category(SensorCategory.SETPOINT).unit("°C").type(DataType.FLOAT32)
                    .access(AccessMode.READ_WRITE).address(1032).range(35, 60).step(0.5).flag(SensorFlag.EEPROM)
                    .build());
            out.add(SensorDefinition.builder("operating_mode").name("Operating mode").category(SensorCategory.MODE)
                    .type(DataType.ENUM).access(AccessMode.READ_WRITE).address(1005).enumValue(0, "Standby")
                    .enumValue(1, "Automatic").enumValue(2, "Away").build());
            out.add(SensorDefinition.builder("pv_surplus").name("PV surplus").category(SensorCategory.CONTROL)
                    .type(DataType.BOOL).access(AccessMode.WRITE_ONLY).kind(RegisterKind.COIL).address(7).build());
            for (String c : deviceConfig.circuits()) {
                out.add(SensorDefinition.builder("temp_flow_circuit_" + c.toLowerCase()).name("Flow " + c)
                        .category(SensorCategory.TEMPERATURE).unit("°C").type(DataType.FLOAT32).address(1350)
                        .circuit(c).build());
            }
            String export = deviceConfig.options().get(RegisterImport.DEVICE_OPTION);
            if (export != null) {
                for (int address : exportedAddresses(export, new ArrayList<>())) {
                    out.add(SensorDefinition.builder("reg_" + address).name("Register " + address)
                            .type(DataType.UINT16).kind(RegisterKind.INPUT).address(address).build());
                }
            }
            return out;
        }

        /** A toy register list: one input register address per line; anything else is a malformed row. */
        static List<Integer> exportedAddresses(String text, List<RegisterImport.LineError> errors) {
            List<Integer> out = new ArrayList<>();
            String[] lines = text.split("\\R", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                try {
                    out.add(Integer.parseInt(lines[i].trim()));
                } catch (NumberFormatException e) {
                    errors.add(new RegisterImport.LineError(i + 1, "'" + lines[i].trim() + "' is not an address"));
                }
            }
            return out;
        }

        @Override
        public Optional<RegisterImport> importRegisters(String text) {
            List<RegisterImport.LineError> errors = new ArrayList<>();
            int accepted = exportedAddresses(text, errors).size();
            return Optional.of(new RegisterImport(accepted, errors));
        }

        @Override
        public List<String> validate(DeviceConfig deviceConfig) {
            List<String> problems = new ArrayList<>();
            for (String c : deviceConfig.circuits()) {
                if (!c.equals("A") && !c.equals("B")) {
                    problems.add("unknown circuit " + c);
                }
            }
            return problems;
        }

        @Override
        public DeviceSession open(ConnectionConfig connection, DeviceConfig deviceConfig) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DashboardTemplate dashboardTemplate(DeviceConfig deviceConfig) {
            return new DashboardTemplate("AW 10",
                    List.of(new DashboardTemplate.Chart("Temperatures", "line", List.of("temp_outdoor"), 24)));
        }

        @Override
        public String setupInstructions() {
            return "# Enable Modbus TCP\n1. Open the service menu.";
        }
    }

    static final class Registry implements ManufacturerRegistry {
        final Driver driver = new Driver();

        @Override
        public List<Manufacturer> manufacturers() {
            return List.of(new Manufacturer("acme", "ACME Heat", List.of(new Model("aw10", "AW 10", "modbus_tcp", 502))));
        }

        @Override
        public Optional<HeatpumpDriver> driver(String manufacturerId, String modelId) {
            return "acme".equals(manufacturerId) && "aw10".equals(modelId) ? Optional.of(driver) : Optional.empty();
        }
    }

    static final class Manager implements HeatpumpManager {
        final Registry registry;
        final Map<String, Heatpump> devices = new LinkedHashMap<>();
        final Map<String, DeviceSnapshot> snapshots = new LinkedHashMap<>();
        final List<String> writes = new ArrayList<>();
        /** The definition the API last handed to create, as given. */
        Heatpump lastCreated;
        Exception nextWriteFailure;
        DeviceException nextTestFailure;
        InvalidConfigurationException nextCreateFailure;
        boolean writeEnabled;
        String writeSwitchActor;
        Heatpump lastTested;

        Manager(Registry registry) {
            this.registry = registry;
        }

        @Override
        public List<Heatpump> heatpumps() {
            return List.copyOf(devices.values());
        }

        @Override
        public Optional<Heatpump> heatpump(String id) {
            return Optional.ofNullable(devices.get(id));
        }

        @Override
        public Heatpump create(Heatpump heatpump) throws InvalidConfigurationException {
            lastCreated = heatpump;
            if (nextCreateFailure != null) {
                throw nextCreateFailure;
            }
            if (registry.driver(heatpump.manufacturer(), heatpump.model()).isEmpty()) {
                // the manager's contract: a definition needs an installed driver
                throw new InvalidConfigurationException(List.of("no driver installed for "
                        + heatpump.manufacturer() + "/" + heatpump.model()));
            }
            Instant now = Instant.parse("2026-11-27T12:00:00Z");
            // the manager's contract: 0 = the default, here the driver's suggestion
            int poll = heatpump.pollIntervalSeconds() != 0 ? heatpump.pollIntervalSeconds()
                    : registry.driver(heatpump.manufacturer(), heatpump.model()).orElseThrow()
                            .defaultPollIntervalSeconds();
            Heatpump stored = new Heatpump(heatpump.id(), heatpump.name(), heatpump.manufacturer(), heatpump.model(),
                    heatpump.connection(), heatpump.deviceConfig(), poll, heatpump.enabled(), now, now);
            devices.put(stored.id(), stored);
            return stored;
        }

        @Override
        public Heatpump update(Heatpump heatpump) throws UnknownHeatpumpException {
            known(heatpump.id());
            devices.put(heatpump.id(), heatpump);
            return heatpump;
        }

        @Override
        public void delete(String id) throws UnknownHeatpumpException {
            known(id);
            devices.remove(id);
        }

        @Override
        public Heatpump setEnabled(String id, boolean enabled) throws UnknownHeatpumpException {
            Heatpump h = known(id).withEnabled(enabled);
            devices.put(id, h);
            return h;
        }

        @Override
        public DeviceStatus status(String id) throws UnknownHeatpumpException {
            Heatpump h = known(id);
            DeviceState state = !h.enabled() ? DeviceState.DISABLED
                    : snapshots.containsKey(id) ? DeviceState.ONLINE : DeviceState.CONNECTING;
            return new DeviceStatus(id, state, 0, 2, null, null, null, 3, 120, 45, null, 1, sensors(id).size());
        }

        @Override
        public List<SensorDefinition> sensors(String id) throws UnknownHeatpumpException {
            return registry.driver.sensors(known(id).deviceConfig());
        }

        @Override
        public Optional<DeviceSnapshot> latest(String id) throws UnknownHeatpumpException {
            known(id);
            return Optional.ofNullable(snapshots.get(id));
        }

        @Override
        public WriteResult write(String id, String sensorId, double value, String actor)
                throws UnknownHeatpumpException, WriteRejectedException, DeviceException {
            known(id);
            if (nextWriteFailure instanceof WriteRejectedException w) {
                throw w;
            }
            if (nextWriteFailure instanceof DeviceException d) {
                throw d;
            }
            writes.add(id + "/" + sensorId + "=" + value + " by " + actor);
            return new WriteResult(id, sensorId, 48.0, value, value, true, "written");
        }

        @Override
        public ReadResult testConnection(Heatpump heatpump) throws DeviceException {
            lastTested = heatpump;
            if (nextTestFailure != null) {
                throw nextTestFailure;
            }
            Instant at = Instant.parse("2026-11-27T12:00:01Z");
            return new ReadResult(Map.of("temp_outdoor", SensorReading.good("temp_outdoor", 4.5, null, at)), 2, 8);
        }

        @Override
        public boolean writeEnabled() {
            return writeEnabled;
        }

        @Override
        public void setWriteEnabled(boolean enabled, String actor) {
            writeEnabled = enabled;
            writeSwitchActor = actor;
        }

        private Heatpump known(String id) throws UnknownHeatpumpException {
            Heatpump h = devices.get(id);
            if (h == null) {
                throw new UnknownHeatpumpException(id);
            }
            return h;
        }
    }

    /**
     * Users alice (viewer), oscar (operator), ada (admin); every password is "pw-" + the name; colin (viewer) has
     * "pw:colin". A real in-memory store otherwise (create, update, delete, tokens), with the same rules as H2UserStore.
     */
    static final class Users implements UserStore {
        final List<String> attempts = new ArrayList<>();
        final Map<String, Role> roles = new java.util.LinkedHashMap<>();
        final Map<String, String> passwords = new java.util.LinkedHashMap<>();
        final Map<String, TokenInfo> tokens = new java.util.LinkedHashMap<>();
        final Map<String, String> tokenValues = new java.util.LinkedHashMap<>();
        private int nextToken = 1;

        Users() {
            put("alice", Role.VIEWER, "pw-alice");
            put("oscar", Role.OPERATOR, "pw-oscar");
            put("ada", Role.ADMIN, "pw-ada");
            put("colin", Role.VIEWER, "pw:colin");
        }

        /** No accounts at all: a first start. */
        static Users empty() {
            Users u = new Users();
            u.roles.clear();
            u.passwords.clear();
            return u;
        }

        void put(String name, Role role, String password) {
            roles.put(name, role);
            passwords.put(name, password);
        }

        @Override
        public synchronized Optional<User> authenticate(String name, char[] password) {
            attempts.add(name);
            Role role = roles.get(name);
            if (role == null || !Arrays.equals(password, passwords.get(name).toCharArray())) {
                return Optional.empty();
            }
            return Optional.of(new User(name, role));
        }

        @Override
        public synchronized User create(String name, char[] password, Role role) throws InvalidConfigurationException {
            if (name == null || name.isBlank() || password == null || password.length < 8 || role == null) {
                throw new InvalidConfigurationException(List.of("name, password (8+) and role required"));
            }
            if (roles.containsKey(name)) {
                throw new InvalidConfigurationException(List.of("user '" + name + "' exists already"), true);
            }
            put(name, role, new String(password));
            return new User(name, role);
        }

        @Override
        public synchronized boolean hasUsers() {
            return !roles.isEmpty();
        }

        @Override
        public synchronized List<User> users() {
            return roles.entrySet().stream().map(e -> new User(e.getKey(), e.getValue())).toList();
        }

        private long admins() {
            return roles.values().stream().filter(r -> r == Role.ADMIN).count();
        }

        @Override
        public synchronized Optional<User> update(String name, Role role, char[] password)
                throws InvalidConfigurationException {
            if (!roles.containsKey(name)) {
                return Optional.empty();
            }
            if (password != null && password.length < 8) {
                throw new InvalidConfigurationException(List.of("password must have at least 8 characters"));
            }
            if (roles.get(name) == Role.ADMIN && role != null && role != Role.ADMIN && admins() <= 1) {
                throw new InvalidConfigurationException(List.of("'" + name + "' is the last admin"), true);
            }
            if (role != null) {
                roles.put(name, role);
            }
            if (password != null) {
                passwords.put(name, new String(password));
            }
            return Optional.of(new User(name, roles.get(name)));
        }

        @Override
        public synchronized boolean delete(String name) throws InvalidConfigurationException {
            if (!roles.containsKey(name)) {
                return false;
            }
            if (roles.get(name) == Role.ADMIN && admins() <= 1) {
                throw new InvalidConfigurationException(List.of("'" + name + "' is the last admin"), true);
            }
            roles.remove(name);
            passwords.remove(name);
            tokens.values().removeIf(t -> t.owner().equals(name));
            return true;
        }

        @Override
        public synchronized IssuedToken createToken(String owner, String name) {
            return createToken(owner, name, null);
        }

        @Override
        public synchronized IssuedToken createToken(String owner, String name, Instant expiresAt) {
            String id = "t" + nextToken++;
            String value = "gwt_secret_" + id + "_" + java.util.UUID.randomUUID();
            TokenInfo info = new TokenInfo(id, name, owner, NOW_FOR_TOKENS, null, expiresAt);
            tokens.put(id, info);
            tokenValues.put(value, id);
            return new IssuedToken(info, value);
        }

        @Override
        public synchronized List<TokenInfo> tokens() {
            return List.copyOf(tokens.values());
        }

        @Override
        public synchronized boolean revokeToken(String id) {
            return tokens.remove(id) != null;
        }

        @Override
        public synchronized Optional<User> authenticateToken(String token) {
            String id = tokenValues.get(token);
            TokenInfo info = id == null ? null : tokens.get(id);
            if (info == null || !roles.containsKey(info.owner())
                    || (info.expiresAt() != null && !info.expiresAt().isAfter(Instant.now()))) {
                return Optional.empty();
            }
            return Optional.of(new User(info.owner(), roles.get(info.owner())));
        }
    }

    static final Instant NOW_FOR_TOKENS = Instant.parse("2026-11-27T12:00:00Z");

    static final class History implements HistoryStore {
        String lastSensor;
        Instant lastFrom;
        Instant lastTo;
        int lastPoints = -1;

        @Override
        public List<Point> query(String heatpumpId, String sensorId, Instant from, Instant to, int points) {
            lastSensor = sensorId;
            lastFrom = from;
            lastTo = to;
            lastPoints = points;
            return List.of(new Point(from, 4.0, 3.5, 4.5));
        }

        @Override
        public List<String> sensorsWithHistory(String heatpumpId) {
            return List.of("temp_retired");
        }
    }

    static final class Audit implements AuditLog {
        final List<Entry> entries = new ArrayList<>();

        @Override
        public Entry record(String actor, String heatpumpId, String sensorId, Double oldValue, Double newValue,
                            String result, String detail) {
            Entry e = new Entry(entries.size() + 1, Instant.parse("2026-11-27T12:00:00Z").plusSeconds(entries.size()),
                    actor, heatpumpId, sensorId, oldValue, newValue, result, detail);
            entries.add(e);
            return e;
        }

        @Override
        public List<Entry> recent(String heatpumpId, int limit) {
            List<Entry> out = new ArrayList<>();
            for (int i = entries.size() - 1; i >= 0 && out.size() < limit; i--) {
                if (heatpumpId == null || heatpumpId.equals(entries.get(i).heatpumpId())) {
                    out.add(entries.get(i));
                }
            }
            return out;
        }
    }
}
