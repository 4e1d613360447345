package gateway.core.api;

import java.io.IOException;
import java.io.Writer;

import org.osgi.annotation.versioning.ProviderType;

/** The gateway's current metrics in the Prometheus text exposition format (version 0.0.4), for {@code /metrics}. */
@ProviderType
public interface MetricsExposition {

    String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    void write(Writer out) throws IOException;
}
