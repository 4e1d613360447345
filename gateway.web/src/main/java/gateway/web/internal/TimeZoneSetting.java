package gateway.web.internal;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The gateway setting {@code time_zone}: the zone job times are in. It lives where the automation bundle reads it,
 * ConfigAdmin pid {@value #PID} key {@value #KEY}, so a {@code .cfg} file, the OSGi tooling and the API all change the
 * same value; the automation component restarts with the new zone when it changes.
 */
final class TimeZoneSetting {

    static final String PID = "gateway.automation";
    static final String KEY = "time.zone";

    private TimeZoneSetting() {
    }

    /** The configured zone id, or null when none is set (the system's zone applies). */
    static String configured(ConfigurationAdmin configAdmin) {
        if (configAdmin == null) {
            return null;
        }
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + PID + ")");
            if (found == null || found.length == 0 || found[0].getProperties() == null) {
                return null;
            }
            Object value = found[0].getProperties().get(KEY);
            return value == null || value.toString().isBlank() ? null : value.toString().trim();
        } catch (IOException | InvalidSyntaxException e) {
            return null;
        }
    }

    /** The zone in effect: the configured one when it is a valid id, else the system's. */
    static ZoneId effective(ConfigurationAdmin configAdmin) {
        String configured = configured(configAdmin);
        if (configured != null) {
            try {
                return ZoneId.of(configured);
            } catch (DateTimeException e) {
                // the automation bundle falls back the same way (and logs it)
            }
        }
        return ZoneId.systemDefault();
    }

    /** Checks a zone id from a request: blank means "the system's zone"; anything else must be a region or offset id. */
    static ZoneId parse(String given) {
        if (given.isBlank()) {
            return null;
        }
        try {
            return ZoneId.of(given.trim());
        } catch (DateTimeException e) {
            throw ApiException.invalid("'" + given + "' is not a time zone",
                    List.of("time_zone: a zone id such as Europe/Berlin or UTC (empty = the system's zone)"));
        }
    }

    /** Stores the zone (null removes it, so the system's applies), keeping the pid's other settings. */
    static void store(ConfigurationAdmin configAdmin, ZoneId zone) throws IOException {
        if (configAdmin == null) {
            throw ApiException.unavailable("configuration-unavailable", "Configuration unavailable",
                    "ConfigAdmin is not running, so the time zone cannot be stored");
        }
        // "?": bound to no single bundle, so the automation bundle receives it whoever created it
        Configuration config = configAdmin.getConfiguration(PID, "?");
        Dictionary<String, Object> props = config.getProperties();
        if (props == null) {
            props = new Hashtable<>();
        }
        if (zone == null) {
            props.remove(KEY);
        } else {
            props.put(KEY, zone.getId());
        }
        config.updateIfDifferent(props);
    }
}
