package gateway.core.api;

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
}
