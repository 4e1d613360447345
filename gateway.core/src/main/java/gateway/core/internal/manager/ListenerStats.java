package gateway.core.internal.manager;

import java.util.List;

/** Delivery counters of the reading listeners (for metrics and the console); private to gateway.core. */
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
