package gateway.core.notification.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration {@code gateway.notification}: how the outbox retries and when it gives up. */
@ObjectClassDefinition(name = "Gateway notifications", description = "Durable outbox: retry backoff and give-up time")
public @interface NotificationConfig {

    @AttributeDefinition(name = "First retry after (s)", min = "1",
            description = "Delay before the first retry; it doubles with every failed attempt")
    int initial_backoff_seconds() default 30;

    @AttributeDefinition(name = "Longest retry delay (s)", min = "1",
            description = "The doubling stops here, so a long outage is retried at least this often")
    int max_backoff_seconds() default 1800;

    @AttributeDefinition(name = "Give up after (min)", min = "1",
            description = "A notification its channel has not accepted this long after it was raised is marked failed")
    int give_up_after_minutes() default 1440;

    @AttributeDefinition(name = "Outbox check interval (s)", min = "1",
            description = "How often the delivery loop looks for due entries (new entries are sent at once)")
    int poll_interval_seconds() default 5;

    @AttributeDefinition(name = "Keep finished entries (days)", min = "1",
            description = "Delivered and failed notifications stay in the outbox's list this long, then are deleted")
    int retention_days() default 30;

    @AttributeDefinition(name = "Entries per round", min = "1")
    int batch_size() default 50;
}
