package gateway.core.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Option;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Push of readings to VictoriaMetrics or anything that accepts the same import (pid {@code gateway.metrics.push}). */
@ObjectClassDefinition(name = "Gateway metrics push",
        description = "Pushes every good reading, stamped with its poll time, to a time-series database. Batches "
                + "wait in an on-disk spool until the database accepts them.")
public @interface PushConfig {

    @AttributeDefinition(name = "URL", description = "Base URL of the database, e.g. http://victoria:8428 (the "
            + "format's path is appended when the URL has none); empty = push off")
    String url() default "";

    @AttributeDefinition(name = "Format", options = {
            @Option(value = "influx", label = "InfluxDB line protocol to /write"),
            @Option(value = "prometheus", label = "Prometheus text to /api/v1/import/prometheus"),
            @Option(value = "remote_write", label = "Prometheus remote write 1.0 (protobuf + snappy) to /api/v1/write "
                    + "(Prometheus, VictoriaMetrics, vminsert, Mimir /api/v1/push, Thanos Receive, Cortex)") })
    String format() default "influx";

    @AttributeDefinition(name = "User name", description = "For HTTP basic authentication; empty = none")
    String username() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(name = "Bearer token", type = AttributeType.PASSWORD,
            description = "Sent as Authorization: Bearer …; takes precedence over user name and password")
    String bearer_token() default "";

    @AttributeDefinition(name = "Tenant", description = "Sent as X-Scope-OrgID: the tenant of a multi-tenant "
            + "Grafana Mimir or Cortex (Loki's header too); empty = none (VictoriaMetrics cluster names the tenant "
            + "in its URL)")
    String tenant() default "";

    @AttributeDefinition(name = "Compatibility names",
            description = "Push the original collector's series idm_heatpump_<sensor> (device units)")
    boolean compatibility_names() default false;

    @AttributeDefinition(name = "Flush interval (ms)", min = "50",
            description = "Buffered points are sealed into a batch and sent at least this often")
    long flush_interval_millis() default 5000;

    @AttributeDefinition(name = "Batch size (points)", min = "1",
            description = "A batch is sealed early when it holds this many points")
    int batch_points() default 20000;

    @AttributeDefinition(name = "Gzip", description = "Compress request bodies (Content-Encoding: gzip); remote "
            + "write is always snappy")
    boolean gzip() default true;

    @AttributeDefinition(name = "Spool limit (bytes)", min = "1024",
            description = "Most disk space for batches waiting while the database is away; beyond it the oldest "
                    + "batches are dropped and counted")
    long spool_max_bytes() default 256L * 1024 * 1024;

    @AttributeDefinition(name = "Spool folder", description = "Empty = metrics-spool in the data folder")
    String spool_folder() default "";

    @AttributeDefinition(name = "Request timeout (ms)", min = "100")
    long timeout_millis() default 10000;

    @AttributeDefinition(name = "Retry backoff minimum (ms)", min = "10")
    long retry_min_millis() default 1000;

    @AttributeDefinition(name = "Retry backoff maximum (ms)", min = "10")
    long retry_max_millis() default 60000;
}
