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

    @AttributeDefinition(name = "Failed logins per minute",
            description = "Failed password checks one client address may make per minute before it gets 429",
            min = "1")
    int login_failures_per_minute() default 5;

    @AttributeDefinition(name = "Largest bundle upload (MiB)", min = "1")
    int max_bundle_mib() default 20;

    @AttributeDefinition(name = "Live event clients",
            description = "Server-Sent Event streams open at the same time; more get 503", min = "1")
    int max_event_clients() default 32;
}
