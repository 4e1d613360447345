package gateway.web.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.UserStore;
import gateway.core.api.UserStore.StoredSession;
import gateway.core.api.UserStore.User;

/**
 * Browser sessions: in memory for every request, written through to the {@link UserStore} (when it keeps sessions)
 * so a restart does not log everybody out. The cookie value and the CSRF token are 256-bit random strings; only the
 * SHA-256 of the cookie value is kept (in memory too, so the map is keyed alike before and after a restart). A session
 * ends after an idle period or an absolute lifetime; its last use is written at most once a minute, so the idle
 * period after a restart may end up to a minute early.
 */
final class SessionStore {

    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);

    static final String COOKIE = "gw_session";
    /** Beyond this many live sessions the oldest are dropped; keeps a login flood from filling the heap. */
    static final int MAX_SESSIONS = 10_000;
    /** How stale the stored last use may get before a request writes it again. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One logged-in browser. lastSeen moves with each request. */
    static final class Session {
        /** The cookie value; known only to the request that created the session (it is never stored). */
        final String id;
        /** SHA-256 of the cookie value: the key here and in the store. */
        final String key;
        final User user;
        final String csrfToken;
        final Instant created;
        volatile Instant lastSeen;
        volatile Instant storedLastSeen;

        Session(String id, String key, User user, String csrfToken, Instant created, Instant lastSeen) {
            this.id = id;
            this.key = key;
            this.user = user;
            this.csrfToken = csrfToken;
            this.created = created;
            this.lastSeen = lastSeen;
            this.storedLastSeen = lastSeen;
        }

        /** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
        boolean csrfMatches(String candidate) {
            return candidate != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.UTF_8),
                    candidate.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    /** Where sessions outlive a restart; null keeps them in memory only. */
    private final UserStore store;
    private volatile Duration idle;
    private volatile Duration absolute;

    SessionStore(Clock clock, Duration idle, Duration absolute) {
        this(null, clock, idle, absolute);
    }

    SessionStore(UserStore store, Clock clock, Duration idle, Duration absolute) {
        this.store = store;
        this.clock = clock;
        configure(idle, absolute);
        load();
    }

    /** The sessions kept before the restart, minus those that expired meanwhile (which go from the store). */
    private void load() {
        if (store == null) {
            return;
        }
        try {
            Instant now = clock.instant();
            List<String> expired = new ArrayList<>();
            for (StoredSession s : store.sessions()) {
                Session session = new Session(null, s.idHash(), s.user(), s.csrfToken(), s.createdAt(), s.lastSeen());
                if (expired(session, now)) {
                    expired.add(s.idHash());
                } else {
                    sessions.put(s.idHash(), session);
                }
            }
            store.deleteSessions(expired);
            if (!sessions.isEmpty()) {
                LOG.info("{} browser sessions kept from before the restart", sessions.size());
            }
        } catch (RuntimeException e) {
            LOG.warn("stored browser sessions unreadable; everybody logs in again: {}", e.toString());
        }
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
            List<String> dropped = new ArrayList<>();
            sessions.values().removeIf(s -> expired(s, now) && dropped.add(s.key));
            if (sessions.size() >= MAX_SESSIONS) {
                sessions.values().stream().min((a, b) -> a.lastSeen.compareTo(b.lastSeen))
                        .ifPresent(oldest -> {
                            sessions.remove(oldest.key);
                            dropped.add(oldest.key);
                        });
            }
            forget(dropped);
        }
        String id = random();
        Session s = new Session(id, VerifiedCredentials.sha256(id), user, random(), now, now);
        sessions.put(s.key, s);
        if (store != null) {
            // written before the cookie is handed out: a session the browser holds survives a restart
            store.saveSession(new StoredSession(s.key, user, s.csrfToken, s.created, s.lastSeen));
        }
        return s;
    }

    /** The live session with that cookie value, touched; expired ones are removed on the way. */
    Optional<Session> find(String id) {
        if (id == null || id.length() > 128) {
            return Optional.empty();
        }
        String key = VerifiedCredentials.sha256(id);
        Session s = sessions.get(key);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(key);
            forget(List.of(key));
            return Optional.empty();
        }
        s.lastSeen = now;
        if (store != null && !now.isBefore(s.storedLastSeen.plus(TOUCH_INTERVAL))) {
            s.storedLastSeen = now;
            try {
                store.saveSession(new StoredSession(s.key, s.user, s.csrfToken, s.created, now));
            } catch (RuntimeException e) {
                LOG.warn("session of {}: last use not stored: {}", s.user.name(), e.toString());
            }
        }
        return Optional.of(s);
    }

    /** Ends the session with that cookie value. */
    void invalidate(String id) {
        if (id != null) {
            invalidate(sessions.get(VerifiedCredentials.sha256(id)));
        }
    }

    void invalidate(Session session) {
        if (session != null) {
            sessions.remove(session.key);
            forget(List.of(session.key));
        }
    }

    /** Ends every session of a user (deleted, role or password changed). */
    void invalidateUser(String name) {
        List<String> ended = new ArrayList<>();
        sessions.values().removeIf(s -> s.user.name().equals(name) && ended.add(s.key));
        forget(ended);
    }

    /** Ends every session of a user but {@code keep} (which may be null): the user changed their own password. */
    void invalidateUserExcept(String name, Session keep) {
        List<String> ended = new ArrayList<>();
        sessions.values().removeIf(s -> s.user.name().equals(name) && s != keep && ended.add(s.key));
        forget(ended);
    }

    int size() {
        return sessions.size();
    }

    private void forget(List<String> keys) {
        if (store == null || keys.isEmpty()) {
            return;
        }
        try {
            store.deleteSessions(keys);
        } catch (RuntimeException e) {
            LOG.warn("ended sessions not removed from the store: {}", e.toString());
        }
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
