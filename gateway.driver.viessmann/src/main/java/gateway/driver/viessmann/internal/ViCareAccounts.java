package gateway.driver.viessmann.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The accounts the driver's sessions use, so that several devices on one client id share one quota and one access
 * token. Keys hold a digest of the refresh token, never the token.
 */
final class ViCareAccounts {

    private final Clock clock;
    private final Map<String, ViCareQuota> quotas = new ConcurrentHashMap<>();
    private final Map<String, ViCareAccount> accounts = new ConcurrentHashMap<>();

    ViCareAccounts(Clock clock) {
        this.clock = clock;
    }

    Clock clock() {
        return clock;
    }

    ViCareQuota quota(String apiBaseUrl, String clientId) {
        return quotas.computeIfAbsent(apiBaseUrl + "|" + clientId, k -> new ViCareQuota(clock));
    }

    ViCareAccount account(String apiBaseUrl, String tokenUrl, String clientId, String refreshToken) {
        String key = apiBaseUrl + "|" + tokenUrl + "|" + clientId + "|" + digest(refreshToken);
        return accounts.computeIfAbsent(key, k -> new ViCareAccount(quota(apiBaseUrl, clientId)));
    }

    private static String digest(String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
