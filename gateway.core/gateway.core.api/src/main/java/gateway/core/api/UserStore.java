package gateway.core.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Accounts; passwords are stored as slow salted hashes only. */
@ProviderType
public interface UserStore {

    enum Role {
        VIEWER, OPERATOR, ADMIN;

        public boolean atLeast(Role other) {
            return ordinal() >= other.ordinal();
        }
    }

    record User(String name, Role role) {
    }

    /** The user when the password matches, else empty (timing does not reveal whether the user exists). */
    Optional<User> authenticate(String name, char[] password);

    User create(String name, char[] password, Role role) throws InvalidConfigurationException;

    boolean hasUsers();

    List<User> users();

    /** The user with that name, or empty. */
    default Optional<User> user(String name) {
        return users().stream().filter(u -> u.name().equals(name)).findFirst();
    }

    /**
     * Changes a user's role and/or password (null = keep).
     *
     * @return the user afterwards, or empty when there is no such user
     * @throws InvalidConfigurationException a too short password, or (conflict) demoting the last admin
     */
    default Optional<User> update(String name, Role role, char[] password) throws InvalidConfigurationException {
        throw new UnsupportedOperationException("this user store cannot change users");
    }

    /**
     * Removes a user and its API tokens.
     *
     * @return false when there was no such user
     * @throws InvalidConfigurationException (conflict) when it is the last admin
     */
    default boolean delete(String name) throws InvalidConfigurationException {
        throw new UnsupportedOperationException("this user store cannot delete users");
    }

    /**
     * An API token's metadata; the token value itself is only ever returned once, by {@link #createToken}.
     *
     * @param expiresAt from this instant on the token no longer authenticates; null = it never expires
     */
    record TokenInfo(String id, String name, String owner, Instant createdAt, Instant lastUsed, Instant expiresAt) {
        /** A token that never expires (the shape before tokens had an expiry). */
        public TokenInfo(String id, String name, String owner, Instant createdAt, Instant lastUsed) {
            this(id, name, owner, createdAt, lastUsed, null);
        }
    }

    /** A newly issued token: its metadata and the secret value (stored only as a hash). */
    record IssuedToken(TokenInfo info, String token) {
    }

    /** Issues a bearer token that acts as {@code owner} with the owner's current role. */
    default IssuedToken createToken(String owner, String name) throws InvalidConfigurationException {
        throw new UnsupportedOperationException("this user store has no API tokens");
    }

    /**
     * Issues a bearer token that stops authenticating at {@code expiresAt} (null = never).
     *
     * @throws InvalidConfigurationException a blank or too long name, an unknown owner, or an expiry not in the future
     */
    default IssuedToken createToken(String owner, String name, Instant expiresAt)
            throws InvalidConfigurationException {
        if (expiresAt == null) {
            return createToken(owner, name);
        }
        throw new UnsupportedOperationException("this user store has no expiring API tokens");
    }

    /** Every token (all owners), without values. */
    default List<TokenInfo> tokens() {
        return List.of();
    }

    /** Revokes a token; false when there is none with that id. */
    default boolean revokeToken(String id) {
        return false;
    }

    /** The owner of a valid (known and not expired) token, or empty. */
    default Optional<User> authenticateToken(String token) {
        return Optional.empty();
    }

    /**
     * A browser session as it is kept across a restart: the SHA-256 of the cookie value (never the value), the user
     * (with the current role) and the CSRF token the console sends back.
     */
    record StoredSession(String idHash, User user, String csrfToken, Instant createdAt, Instant lastSeen) {
    }

    /** Inserts or replaces a session; an unknown user is ignored (it was deleted meanwhile). */
    default void saveSession(StoredSession session) {
    }

    /** Every kept session; a user's sessions go with the user. */
    default List<StoredSession> sessions() {
        return List.of();
    }

    /** Removes the sessions with these id hashes (logout, expiry). */
    default void deleteSessions(List<String> idHashes) {
    }
}
