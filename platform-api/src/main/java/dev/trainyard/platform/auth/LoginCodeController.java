package dev.trainyard.platform.auth;

import dev.trainyard.platform.auth.SessionRecords.LoginCodeResponse;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/login-codes")
public class LoginCodeController {

    private final SessionService sessions;

    public LoginCodeController(SessionService sessions) {
        this.sessions = sessions;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Make a one-time login code (admin scope)",
            description = "The code signs a browser in as you, with your scope, once: POST /api/v1/session "
                    + "{\"code\": ...} within 5 minutes (trainyard.sessions.login-code-ttl). The dashboard takes it "
                    + "in its link: /#/login?code=<code>.")
    public LoginCodeResponse create(Caller caller) {
        return sessions.createLoginCode(caller);
    }
}
