package gateway.core.metrics.internal;

import java.net.URI;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.GatewayIdentity;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.HistoryStore;

/**
 * The history source setting: with {@code source} a URL, registers a {@link PrometheusHistoryStore} ranked above
 * the H2 store, so the REST API (which follows the best-ranked history store) reads charts and export from the
 * fleet's time-series engine; with {@code h2} (default) registers nothing and H2 serves as before.
 */
@Component(configurationPid = "gateway.history", configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = HistorySourceConfig.class)
public final class HistorySource {

    /** Above the H2 store's default ranking (0). */
    static final int RANKING = 100;
    private static final Logger LOG = LoggerFactory.getLogger(HistorySource.class);

    private final ServiceRegistration<HistoryStore> registration;

    @Activate
    public HistorySource(@Reference HeatpumpManager manager, @Reference GatewayIdentity identity,
                         BundleContext context, HistorySourceConfig config) {
        URI uri = uri(config.source());
        if (uri == null) {
            registration = null;
            return;
        }
        PrometheusHistoryStore store = new PrometheusHistoryStore(uri, manager,
                new SeriesCatalog(manager, config.compatibility_names(), identity.labels()), config.tenant().trim());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, RANKING);
        props.put("history.source", uri.toString());
        registration = context.registerService(HistoryStore.class, store, props);
        LOG.info("history read from {}", uri);
    }

    /** The query API's URL, or null for h2 (also for an invalid value, which is logged: H2 keeps serving). */
    static URI uri(String source) {
        String s = source == null ? "" : source.trim();
        if (s.isEmpty() || "h2".equalsIgnoreCase(s)) {
            return null;
        }
        try {
            URI uri = URI.create(s);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // logged below
        }
        LOG.warn("history source '{}' is neither h2 nor an http(s) URL; history stays in H2", s);
        return null;
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
    }
}
