package gateway.core.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Delivery counters of the reading listeners, kept by the manager, for metrics and the console. */
@ProviderType
public interface ListenerStats {

    /**
     * @param listener  the listener's class and service id
     * @param delivered events handed to the listener
     * @param dropped   events dropped because its queue was full
     * @param queued    events waiting now
     */
    record ListenerStat(String listener, long delivered, long dropped, int queued) {
    }

    List<ListenerStat> listenerStats();
}
