package dev.trainyard.platform.auth;

import dev.trainyard.platform.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/** Checks the token's scope before a handler runs: {@link RequiresScope} if present, else read for GET, write otherwise. */
@Component
public class ScopeInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)
                || !(request.getAttribute(AuthenticationFilter.CALLER_ATTRIBUTE) instanceof Caller caller)) {
            return true;
        }
        RequiresScope annotation = method.getMethodAnnotation(RequiresScope.class);
        Scope needed = annotation != null ? annotation.value()
                : switch (request.getMethod()) {
                    case "GET", "HEAD", "OPTIONS" -> Scope.READ;
                    default -> Scope.WRITE;
                };
        if (!caller.scope().includes(needed)) {
            throw ApiException.forbidden("this needs a token with scope " + needed.wireName()
                    + "; this token's scope is " + caller.scope().wireName());
        }
        return true;
    }
}
