package gateway.core.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What {@code /metrics} shows (configuration pid {@code gateway.metrics}). */
@ObjectClassDefinition(name = "Gateway metrics",
        description = "Prometheus exposition of device values and gateway self-metrics at /metrics")
public @interface MetricsConfig {

    @AttributeDefinition(name = "Compatibility names",
            description = "Name device series like the original IDM metrics collector (idm_heatpump_<sensor> with "
                    + "labels heatpump_id, manufacturer, model; values in the device's own units) so existing "
                    + "Grafana dashboards keep working")
    boolean compatibility_names() default false;

    @AttributeDefinition(name = "Identity labels",
            description = "Add gateway_id and site (see pid gateway.identity) to every device series, like a "
                    + "target label, for a Prometheus that scrapes several gateways without relabelling")
    boolean identity_labels() default false;

    @AttributeDefinition(name = "Self-metrics",
            description = "Include the gateway's own metrics (polls, listeners, push, JVM)")
    boolean self_metrics() default true;
}
