package gateway.web.internal;

import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.UserStore;
import gateway.core.api.UserStore.IssuedToken;
import gateway.core.api.UserStore.Role;
import gateway.core.api.UserStore.TokenInfo;

/**
 * {@code /tokens}: bearer tokens for scripts. Anyone manages their own; an admin sees and revokes everyone's. The
 * value is shown once, at creation.
 */
final class TokenResource {

    private static final Logger LOG = LoggerFactory.getLogger(TokenResource.class);

    /** @param expiresAt when the token stops working (ISO-8601); null = never */
    record TokenInput(String name, Instant expiresAt) {
    }

    record TokenView(String id, String name, String owner, Instant createdAt, Instant lastUsed, Instant expiresAt) {
        static TokenView of(TokenInfo t) {
            return new TokenView(t.id(), t.name(), t.owner(), t.createdAt(), t.lastUsed(), t.expiresAt());
        }
    }

    record NewToken(String id, String name, String owner, Instant createdAt, Instant expiresAt, String token) {
    }

    private final UserStore users;
    private final Runnable revoked;

    TokenResource(UserStore users, Runnable revoked) {
        this.users = users;
        this.revoked = revoked;
    }

    void register(Router router) {
        router.add("GET", "/tokens", Role.VIEWER, "API tokens (own; an admin sees all), without their values",
                        this::list)
                .add("POST", "/tokens", Role.VIEWER, "Create an API token ({\"name\", \"expires_at\"}; without"
                        + " expires_at it never expires); the value is shown once", this::create)
                .add("DELETE", "/tokens/{id}", Role.VIEWER, "Revoke an API token", this::revoke);
    }

    private List<TokenInfo> visible(ApiRequest request) {
        boolean admin = request.user().role().atLeast(Role.ADMIN);
        return users.tokens().stream().filter(t -> admin || t.owner().equals(request.user().name())).toList();
    }

    private Object list(ApiRequest request) {
        return visible(request).stream().map(TokenView::of).toList();
    }

    private Object create(ApiRequest request) throws Exception {
        TokenInput in = request.body(TokenInput.class);
        if (in.name() == null || in.name().isBlank()) {
            throw ApiException.invalid("a token needs a name", List.of("name: required"));
        }
        if (in.name().length() > 200) {
            throw ApiException.invalid("name too long", List.of("name: at most 200 characters"));
        }
        if (in.expiresAt() != null && !in.expiresAt().isAfter(Instant.now())) {
            throw ApiException.invalid("a token cannot expire in the past",
                    List.of("expires_at: must be in the future")).with("field", "expires_at");
        }
        IssuedToken issued = users.createToken(request.user().name(), in.name(), in.expiresAt());
        TokenInfo t = issued.info();
        LOG.info("api token created id={} owner={} expires_at={}", t.id(), t.owner(), t.expiresAt());
        return Reply.created(ApiServlet.MOUNT + "/tokens/" + t.id(),
                new NewToken(t.id(), t.name(), t.owner(), t.createdAt(), t.expiresAt(), issued.token()));
    }

    private Object revoke(ApiRequest request) {
        String id = request.param("id");
        boolean mine = visible(request).stream().anyMatch(t -> t.id().equals(id));
        if (!mine || !users.revokeToken(id)) {
            throw ApiException.notFound("no token '" + id + "'");
        }
        revoked.run();
        LOG.info("api token revoked id={} by={}", id, request.actor());
        return Reply.noContent();
    }
}
