package gateway.core.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Whether the gateway has finished starting: the bundles found in {@code deploy/} at start (the drivers) are
 * installed and have settled, so a request that needs a driver does not race its installation. Orchestrators and
 * scripts read it through {@code GET /api/health}.
 */
@ProviderType
public interface GatewayReadiness {

    /**
     * @param ready      true once start-up has settled (it stays true)
     * @param waitingFor what start-up still waits for, e.g. {@code deploy/gateway.driver.nibe.jar}
     */
    record Status(boolean ready, List<String> waitingFor) {
        public Status {
            waitingFor = waitingFor == null ? List.of() : List.copyOf(waitingFor);
        }
    }

    Status status();
}
