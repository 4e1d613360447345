package gateway.core.manager.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the heat pump manager (configuration pid {@code gateway.manager}). */
@ObjectClassDefinition(name = "Heat pump manager",
        description = "Polling, reconnects and reading delivery for all configured heat pumps")
public @interface ManagerConfig {

    @AttributeDefinition(name = "Default poll interval (s)",
            description = "Poll interval given to new devices that do not name one; 0 uses the driver's suggestion "
                    + "(30 s for most). Never below the driver's minimum.", min = "0", max = "86400")
    int default_poll_interval_seconds() default 0;

    @AttributeDefinition(name = "Parallel polls",
            description = "Threads that poll devices; at most this many devices are read at the same moment",
            min = "1", max = "256")
    int poll_threads() default 16;

    @AttributeDefinition(name = "Listener queue capacity",
            description = "Snapshots waiting per reading listener before new ones are dropped", min = "1")
    int listener_queue_capacity() default 256;

    @AttributeDefinition(name = "Reconnect backoff minimum (ms)", min = "1")
    long backoff_min_millis() default 1000;

    @AttributeDefinition(name = "Reconnect backoff maximum (ms)", min = "1")
    long backoff_max_millis() default 60000;

    @AttributeDefinition(name = "Write wait (s)",
            description = "How long a write waits for a running poll of the same device to finish", min = "1")
    int write_wait_seconds() default 30;
}
