package gateway.core.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Where charts, {@code /api/history/{id}} and export read history from (pid {@code gateway.history}). */
@ObjectClassDefinition(name = "Gateway history source",
        description = "h2 (the embedded store) or the base URL of a Prometheus-compatible query API that receives "
                + "this gateway's metrics push (VictoriaMetrics, Prometheus, vmselect, Mimir, Thanos Query).")
public @interface HistorySourceConfig {

    @AttributeDefinition(name = "Source", description = "h2, or e.g. http://victoria:8428 or "
            + "http://vmselect:8481/select/0/prometheus (the path before /api/v1/query_range)")
    String source() default "h2";

    @AttributeDefinition(name = "Tenant", description = "Sent as X-Scope-OrgID with every query (a multi-tenant "
            + "Mimir or Cortex); empty = none")
    String tenant() default "";

    @AttributeDefinition(name = "Compatibility names", description = "true when the push uses compatibility_names "
            + "(the series are looked up under the names the push writes)")
    boolean compatibility_names() default false;
}
