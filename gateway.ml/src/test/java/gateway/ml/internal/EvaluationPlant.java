package gateway.ml.internal;

import java.util.List;

import gateway.core.api.AnomalyProfile;
import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpSimulator;
import gateway.driver.idm.internal.IdmDriver;
import gateway.driver.idm.internal.IdmRegisterMap;
import gateway.driver.daikin.internal.DaikinAltherma3EkrhhDriver;
import gateway.driver.daikin.internal.DaikinModel;
import gateway.driver.daikin.internal.DaikinRegisterMap;
import gateway.driver.daikin.internal.DaikinSimulator;
import gateway.driver.idm.internal.IdmSimulator;
import gateway.driver.luxtronik.internal.LuxtronikDriver;
import gateway.driver.luxtronik.internal.LuxtronikSimulator;
import gateway.driver.nibe.internal.NibeModel;
import gateway.driver.nibe.internal.NibeS1155Driver;
import gateway.driver.nibe.internal.NibeSimulator;

/**
 * One simulated heat pump the evaluation harness drives in-process, faster than real time and without sockets: the
 * driver gives sensors, features and operating mode, the simulator gives values and takes labelled faults by name
 * ({@link HeatpumpSimulator.Running#availableFaults()}: stuck_sensor, sensor_drift, low_flow, short_cycling,
 * failed_defrost, hot_water_not_reached where the make can show them).
 */
interface EvaluationPlant extends AutoCloseable {

    /** manufacturer/model, as in the API. */
    String make();

    HeatpumpDriver driver();

    /** The driver's anomaly features and operating modes: every make evaluated supports anomaly detection. */
    default AnomalyProfile profile() {
        return AnomalyDetector.profile(driver()).orElseThrow(
                () -> new IllegalStateException(make() + ": the driver is no AnomalyProfile"));
    }

    DeviceConfig config();

    /** Values ({@code value(sensorId)}) and faults. */
    HeatpumpSimulator.Running simulator();

    /** Advances the simulated plant by {@code seconds}. */
    void advance(double seconds);

    /** Simulated seconds since midnight of the first simulated day. */
    double simulatedSeconds();

    @Override
    default void close() {
        simulator().close();
    }

    /** Every make the harness can evaluate; {@code seed} varies the weather between devices. */
    static List<String> makes() {
        return List.of("idm/navigator_2_0", "nibe/s1155", "daikin/altherma_3_ekrhh", "luxtronik/luxtronik_2_1");
    }

    static EvaluationPlant create(String make, long seed) {
        return switch (make) {
            case "idm/navigator_2_0" -> idm(seed);
            case "nibe/s1155" -> nibe(seed);
            case "daikin/altherma_3_ekrhh" -> daikin(seed);
            case "luxtronik/luxtronik_2_1" -> luxtronik(seed);
            default -> throw new IllegalArgumentException("no evaluation plant for " + make);
        };
    }

    /** An iDM Navigator 2.0, circuit A. */
    private static EvaluationPlant idm(long seed) {
        IdmSimulator sim = IdmSimulator.offline();
        sim.weather(seed);
        return plant("idm/navigator_2_0", new IdmDriver(), IdmRegisterMap.DEFAULT_CONFIG, sim, sim::step,
                sim::simulatedSeconds);
    }

    /** A ground-source NIBE S1155, climate system 1 (no defrost, so no failed_defrost). */
    private static EvaluationPlant nibe(long seed) {
        NibeSimulator sim = NibeSimulator.offline(NibeModel.S1155);
        sim.weather(seed);
        return plant("nibe/s1155", new NibeS1155Driver(), DeviceConfig.empty(), sim, sim::step, sim::simulatedSeconds);
    }

    /** A Daikin Altherma 3 through the EKRHH Home Hub, main zone only. */
    private static EvaluationPlant daikin(long seed) {
        DeviceConfig config = new DeviceConfig(List.of(DaikinRegisterMap.MAIN), List.of(), java.util.Map.of());
        DaikinSimulator sim = DaikinSimulator.offline(DaikinModel.ALTHERMA_3_EKRHH, config);
        sim.weather(seed);
        return plant("daikin/altherma_3_ekrhh", new DaikinAltherma3EkrhhDriver(), config, sim, sim::step,
                sim::simulatedSeconds);
    }

    /** A Luxtronik 2.1 air/water unit (LWC), firmware V3.88.1. */
    private static EvaluationPlant luxtronik(long seed) {
        LuxtronikSimulator sim = LuxtronikSimulator.offline("V3.88.1");
        sim.weather(seed);
        return plant("luxtronik/luxtronik_2_1", new LuxtronikDriver(), DeviceConfig.empty(), sim, sim::step,
                sim::simulatedSeconds);
    }

    private static EvaluationPlant plant(String make, HeatpumpDriver driver, DeviceConfig config,
                                         HeatpumpSimulator.Running sim, java.util.function.DoubleConsumer step,
                                         java.util.function.DoubleSupplier seconds) {
        return new EvaluationPlant() {
            public String make() {
                return make;
            }

            public HeatpumpDriver driver() {
                return driver;
            }

            public DeviceConfig config() {
                return config;
            }

            public HeatpumpSimulator.Running simulator() {
                return sim;
            }

            public void advance(double s) {
                step.accept(s);
            }

            public double simulatedSeconds() {
                return seconds.getAsDouble();
            }
        };
    }
}
