package gateway.core.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the embedded database and the history recorder (pid {@code gateway.store}). */
@ObjectClassDefinition(name = "Gateway store",
        description = "Embedded H2 database: where it lives and how long history is kept")
public @interface StoreConfig {

    @AttributeDefinition(name = "Data folder",
            description = "Folder of the database file; empty = framework property gateway.data, else ./data")
    String dataFolder() default "";

    @AttributeDefinition(name = "History retention (days)", min = "1",
            description = "Readings older than this are deleted (daily and at start)")
    int historyRetentionDays() default Database.Settings.DEFAULT_RETENTION_DAYS;

    @AttributeDefinition(name = "History flush interval (seconds)", min = "1",
            description = "Buffered readings are written at least this often")
    int historyFlushIntervalSeconds() default Database.Settings.DEFAULT_FLUSH_SECONDS;

    @AttributeDefinition(name = "History batch size", min = "1",
            description = "A flush starts early when this many readings are buffered")
    int historyBatchSize() default Database.Settings.DEFAULT_BATCH_SIZE;
}
