package gateway.driver.viessmann.internal;

import java.time.Instant;

/**
 * What the devices signed in with one refresh token share: the access token (one refresh serves every device) and
 * the quota of their client id (Viessmann counts per client id). The refresh token itself lives in the device's connection options; a rotated
 * one returned by the token endpoint is kept here for the rest of the run.
 */
final class ViCareAccount {

    private final ViCareQuota quota;
    // guarded by this
    private String accessToken;
    private Instant accessExpires = Instant.EPOCH;
    private String rotatedRefreshToken;

    ViCareAccount(ViCareQuota quota) {
        this.quota = quota;
    }

    ViCareQuota quota() {
        return quota;
    }

    synchronized String accessToken(Instant now) {
        return accessToken != null && now.isBefore(accessExpires) ? accessToken : null;
    }

    synchronized void accessToken(String token, Instant expires) {
        this.accessToken = token;
        this.accessExpires = expires;
    }

    synchronized void forgetAccessToken(String token) {
        if (token != null && token.equals(accessToken)) {
            accessToken = null;
        }
    }

    synchronized String refreshToken(String configured) {
        return rotatedRefreshToken != null ? rotatedRefreshToken : configured;
    }

    synchronized void rotated(String refreshToken) {
        this.rotatedRefreshToken = refreshToken;
    }
}
