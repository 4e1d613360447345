package gateway.core.automation.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the job scheduler and the alert engine (configuration pid {@code gateway.automation}). */
@ObjectClassDefinition(name = "Automation", description = "Scheduled jobs and alerts")
public @interface AutomationConfig {

    @AttributeDefinition(name = "Time zone",
            description = "Zone of the jobs' local times (e.g. Europe/Berlin); empty = the system's zone")
    String time_zone() default "";

    @AttributeDefinition(name = "Jobs enabled", description = "Run scheduled jobs")
    boolean jobs_enabled() default true;

    @AttributeDefinition(name = "Alerts enabled", description = "Evaluate alerts")
    boolean alerts_enabled() default true;

    @AttributeDefinition(name = "Tick (ms)",
            description = "How often due jobs and time-driven alerts are checked; well below a minute so a job runs "
                    + "within its minute", min = "100", max = "30000")
    long tick_millis() default 1000;

    @AttributeDefinition(name = "Alert reload (s)",
            description = "How often alert definitions are re-read, so edits apply without a restart", min = "1")
    int reload_seconds() default 2;
}
