package gateway.core.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Scheduled backups (pid {@code gateway.backup}); backups made by hand are not affected by {@link #keep()}. */
@ObjectClassDefinition(name = "Gateway backups",
        description = "Scheduled backups into <data>/backups and how many of them are kept")
public @interface BackupConfig {

    @AttributeDefinition(name = "Interval (hours)", min = "0",
            description = "A scheduled backup is made when the newest one is this old; 0 = no scheduled backups")
    int interval_hours() default 24;

    @AttributeDefinition(name = "Keep", min = "1",
            description = "Number of scheduled backups kept; older ones are deleted")
    int keep() default 7;

    @AttributeDefinition(name = "Passphrase", type = AttributeType.PASSWORD, required = false,
            description = "Encrypts secrets (channel and push passwords, tokens in configuration) into scheduled"
                    + " backups; empty = scheduled backups leave secrets out")
    String passphrase() default "";
}
