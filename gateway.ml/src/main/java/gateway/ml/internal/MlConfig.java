package gateway.ml.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of anomaly detection (configuration pid {@code gateway.ml}); defaults as the original ML service. */
@ObjectClassDefinition(name = "Anomaly detection",
        description = "Online Half-Space Trees per heat pump and operating mode")
public @interface MlConfig {

    @AttributeDefinition(name = "Enabled", description = "Score every snapshot of every device with a feature list")
    boolean enabled() default true;

    @AttributeDefinition(name = "Trees", min = "1", max = "200")
    int trees() default 25;

    @AttributeDefinition(name = "Tree height", min = "1", max = "30")
    int height() default 15;

    @AttributeDefinition(name = "Window size (samples)",
            description = "Samples per mass window; the reference is the previous full window", min = "2")
    int window_size() default 250;

    @AttributeDefinition(name = "Size limit (samples)",
            description = "Reference mass below which a node no longer describes normal data; 0 = 10 % of the "
                    + "window (the paper's choice)", min = "0")
    int size_limit() default 0;

    @AttributeDefinition(name = "Learning interval (s)",
            description = "Every sample is scored; a mode's model learns at most one sample per this much of the "
                    + "mode's time, so the window spans about a day of operation (0 = learn every sample)", min = "0")
    int learn_interval_seconds() default 300;

    @AttributeDefinition(name = "Reference span (h)",
            description = "Wall time a rarely used mode's window should span (hot water, about an hour a day): such a "
                    + "mode learns more often than the learning interval (at least 60 s apart) and does not learn "
                    + "during its alarm episodes, so one faulty run does not mask the next (0 = plain interval for "
                    + "every mode)", min = "0")
    int reference_span_hours() default 48;

    @AttributeDefinition(name = "Random seed", description = "Fixes the trees' random splits")
    long seed() default 42;

    @AttributeDefinition(name = "Threshold", description = "A score at or above this is a hit (0..1)",
            min = "0", max = "1")
    double threshold() default 0.7;

    @AttributeDefinition(name = "Sensitivity",
            description = "1 keeps the threshold; 2 halves its distance from 1 (more alarms), 0.5 moves it half-way "
                    + "towards 1 (fewer)", min = "0", max = "10")
    double sensitivity() default 1.0;

    @AttributeDefinition(name = "Warm-up (samples)",
            description = "Samples a mode's model learns before any hit counts", min = "0")
    int warmup_samples() default 120;

    @AttributeDefinition(name = "Hits in a row", description = "Consecutive hits that raise an anomaly", min = "1")
    int consecutive_hits() default 3;

    @AttributeDefinition(name = "Cooldown (s)",
            description = "Minimum time between two anomalies of the same device and mode", min = "0")
    long cooldown_seconds() default 3600;

    @AttributeDefinition(name = "Save interval (s)", description = "How often model state is written to disk",
            min = "10")
    int save_interval_seconds() default 300;

    @AttributeDefinition(name = "Model folder",
            description = "Where model state is kept; empty = <gateway.data>/ml, else ./data/ml")
    String model_folder() default "";
}
