package gateway.web.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import gateway.core.api.UserStore.User;

/**
 * Browser sessions, in memory: a restart logs everybody out, which is the safe direction. The cookie value and the
 * CSRF token are 256-bit random strings; a session ends after an idle period or an absolute lifetime.
 */
final class SessionStore {

    static final String COOKIE = "gw_session";
    /** Beyond this many live sessions the oldest are dropped; keeps a login flood from filling the heap. */
    static final int MAX_SESSIONS = 10_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One logged-in browser. lastSeen moves with each request. */
    static final class Session {
        final String id;
        final User user;
        final String csrfToken;
        final Instant created;
        volatile Instant lastSeen;

        Session(String id, User user, String csrfToken, Instant created) {
            this.id = id;
            this.user = user;
            this.csrfToken = csrfToken;
            this.created = created;
            this.lastSeen = created;
        }

        /** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
        boolean csrfMatches(String candidate) {
            return candidate != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.UTF_8),
                    candidate.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile Duration idle;
    private volatile Duration absolute;

    SessionStore(Clock clock, Duration idle, Duration absolute) {
        this.clock = clock;
        configure(idle, absolute);
    }

    void configure(Duration idle, Duration absolute) {
        this.idle = idle;
        this.absolute = absolute;
    }

    Duration absolute() {
        return absolute;
    }

    Session create(User user) {
        Instant now = clock.instant();
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().removeIf(s -> expired(s, now));
            if (sessions.size() >= MAX_SESSIONS) {
                sessions.values().stream().min((a, b) -> a.lastSeen.compareTo(b.lastSeen))
                        .ifPresent(oldest -> sessions.remove(oldest.id));
            }
        }
        Session s = new Session(random(), user, random(), now);
        sessions.put(s.id, s);
        return s;
    }

    /** The live session with that cookie value, touched; expired ones are removed on the way. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        s.lastSeen = now;
        return Optional.of(s);
    }

    void invalidate(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Ends every session of a user (deleted, role or password changed). */
    void invalidateUser(String name) {
        sessions.values().removeIf(s -> s.user.name().equals(name));
    }

    int size() {
        return sessions.size();
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastSeen.plus(idle)) || !now.isBefore(s.created.plus(absolute));
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The value of cookie {@code name} in a Cookie header, or null. */
    static String cookie(String header, String name) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equals(name)) {
                String v = p.substring(eq + 1).trim();
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    /** The Set-Cookie value for a new session; Secure only over HTTPS, where a browser will send it back. */
    static String setCookie(String value, boolean secure, Duration maxAge) {
        return COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAge.toSeconds() + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    static String clearCookie(boolean secure) {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }
}
