package dev.trainyard.platform.standalone;

import dev.trainyard.platform.auth.SessionRecords.LoginCodeResponse;
import dev.trainyard.platform.auth.SessionService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * On every standalone start, prints a one-click sign-in link for the dashboard: a one-time login code for the local
 * admin, valid for {@code trainyard.sessions.login-code-ttl} (5 minutes). Right after
 * {@link dev.trainyard.platform.auth.BootstrapAdmin} (order 0), which prints the admin token on the first start.
 */
@Component
@Profile("standalone")
@Order(1)
class SignInLink implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SignInLink.class);

    private final SessionService sessions;
    private final LocalAdmin admin;
    private final Environment environment;

    SignInLink(SessionService sessions, LocalAdmin admin, Environment environment) {
        this.sessions = sessions;
        this.admin = admin;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        LoginCodeResponse code = sessions.createLoginCode(admin.caller());
        log.warn("""
                Open the dashboard, signed in as the admin (the link works once, until {}; \
                POST /api/v1/login-codes with the admin token makes another):

                    Sign in: {}
                """, code.expiresAt(), link(code.code()));
    }

    String link(String code) {
        return "http://127.0.0.1:" + environment.getProperty("local.server.port", "8080") + "/#/login?code=" + code;
    }
}
