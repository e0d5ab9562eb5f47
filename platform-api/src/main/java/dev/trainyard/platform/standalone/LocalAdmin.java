package dev.trainyard.platform.standalone;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.auth.User;
import dev.trainyard.platform.auth.UserRepository;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The site admin that the standalone platform acts as when it sets itself up (the demo experiment, the embedded
 * worker's token): the bootstrap admin, or the oldest site admin if that one was renamed.
 */
@Component
@Profile("standalone")
class LocalAdmin {

    private final UserRepository users;

    LocalAdmin(UserRepository users) {
        this.users = users;
    }

    /** A caller without a token of its own (token id 0): these calls never go through HTTP. */
    Caller caller() {
        User admin = users.findFirstBySiteAdminTrueOrderByIdAsc().orElseThrow(() -> new IllegalStateException(
                "the standalone platform found no site admin user to act as; the bootstrap admin should have been "
                        + "created on the first start"));
        return new Caller(admin.getId(), admin.getUsername(), true, 0, Scope.ADMIN);
    }
}
