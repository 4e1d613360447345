package gateway.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the REST API (configuration pid {@code gateway.web}). */
@ObjectClassDefinition(name = "Gateway web API", description = "Sessions, login throttling and uploads of the REST API")
public @interface WebConfig {

    @AttributeDefinition(name = "Session idle timeout (min)",
            description = "A browser session ends after this long without a request", min = "1")
    int session_idle_minutes() default 30;

    @AttributeDefinition(name = "Session lifetime (h)",
            description = "A browser session ends this long after login, however active", min = "1")
    int session_absolute_hours() default 12;

    // the key keeps its name (configurations in the field use it); it now counts per user name and address
    @AttributeDefinition(name = "Failed logins before the delay",
            description = "Failed password checks for one user from one address before each further try waits"
                    + " (1 s, doubling up to 15 min; 429 with Retry-After). Other addresses are not affected",
            min = "1")
    int login_failures_per_minute() default 5;

    @AttributeDefinition(name = "Largest bundle upload (MiB)", min = "1")
    int max_bundle_mib() default 20;

    @AttributeDefinition(name = "Live event clients",
            description = "Server-Sent Event streams open at the same time; more get 503", min = "1")
    int max_event_clients() default 32;
}
