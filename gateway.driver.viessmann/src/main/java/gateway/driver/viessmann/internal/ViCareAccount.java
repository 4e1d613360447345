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
    /** The last failure per device path, kept across sessions (the manager opens a new one after a failure). */
    private final java.util.Map<String, gateway.core.api.DeviceException> lastFailures = new java.util.HashMap<>();

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

    synchronized gateway.core.api.DeviceException lastFailure(String device) {
        return lastFailures.get(device);
    }

    synchronized void lastFailure(String device, gateway.core.api.DeviceException failure) {
        if (failure == null) {
            lastFailures.remove(device);
        } else {
            lastFailures.put(device, failure);
        }
    }

    synchronized void rotated(String refreshToken) {
        this.rotatedRefreshToken = refreshToken;
    }
}
