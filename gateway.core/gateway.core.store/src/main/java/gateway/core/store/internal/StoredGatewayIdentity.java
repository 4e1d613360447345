package gateway.core.store.internal;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.GatewayIdentity;
import gateway.core.api.SettingsStore;

/**
 * The gateway's identity: {@code gateway_id} from the configuration when set, else the id derived at the first start
 * (host name plus a random suffix, so two gateways cloned from one image still differ) and kept in the settings table,
 * so it survives restarts and updates. A configuration change re-activates the component, and with it those who use
 * the identity (the metrics push), so the new labels apply at once.
 */
@Component(service = GatewayIdentity.class, configurationPid = StoredGatewayIdentity.PID)
@Designate(ocd = IdentityConfig.class)
public final class StoredGatewayIdentity implements GatewayIdentity {

    public static final String PID = "gateway.identity";
    /** The settings key of the derived id. */
    static final String SETTING = "gateway_id";

    private static final Logger LOG = LoggerFactory.getLogger(StoredGatewayIdentity.class);

    private final String gatewayId;
    private final String site;

    @Activate
    public StoredGatewayIdentity(@Reference SettingsStore settings, IdentityConfig config) {
        this(settings, config.gateway__id(), config.site());
    }

    public StoredGatewayIdentity(SettingsStore settings, String configuredId, String configuredSite) {
        String id = configuredId == null ? "" : configuredId.trim();
        if (!id.isEmpty() && !VALID.matcher(id).matches()) {
            LOG.warn("gateway_id '{}' in {} is not 1-64 letters, digits, _ . - ; using the stored id", id, PID);
            id = "";
        }
        if (id.isEmpty()) {
            id = settings.get(SETTING).filter(s -> VALID.matcher(s).matches()).orElse(null);
            if (id == null) {
                id = derive();
                settings.put(SETTING, id);
                LOG.info("gateway_id derived and stored: {}", id);
            }
        }
        String s = configuredSite == null ? "" : configuredSite.trim();
        if (!s.isEmpty() && !VALID.matcher(s).matches()) {
            LOG.warn("site '{}' in {} is not 1-64 letters, digits, _ . - ; no site label", s, PID);
            s = "";
        }
        this.gatewayId = id;
        this.site = s;
    }

    /** Host name (lower case, other characters as '-', at most 40) and 6 random hex digits. */
    static String derive() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "";
        }
        host = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-").replaceAll("^[^a-z0-9]+", "");
        int dot = host.indexOf('.');
        if (dot > 0) {
            host = host.substring(0, dot); // the short name: a domain adds length, not distinction
        }
        if (host.length() > 40) {
            host = host.substring(0, 40);
        }
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        return (host.isEmpty() ? "gw" : host) + "-" + HexFormat.of().formatHex(random);
    }

    @Override
    public String gatewayId() {
        return gatewayId;
    }

    @Override
    public String site() {
        return site;
    }

    @Override
    public String toString() {
        return "gateway_id=" + gatewayId + (site.isEmpty() ? "" : " site=" + site);
    }
}
