package dev.trainyard.platform.auth;

import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Documents the session cookie as the other way to authenticate, beside the bearer token. */
@Configuration(proxyBeanMethods = false)
class SessionOpenApi {

    @Bean
    OpenApiCustomizer sessionCookieSecurity() {
        return openApi -> {
            openApi.getComponents().addSecuritySchemes("session", new SecurityScheme()
                    .type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.COOKIE)
                    .name(SessionCookie.NAME)
                    .description("The dashboard's session (POST /api/v1/session). Requests that are not GET, HEAD "
                            + "or OPTIONS also need the header " + SessionCookie.CSRF_HEADER + ": <csrfToken>."));
            openApi.addSecurityItem(new SecurityRequirement().addList("session"));
            if (openApi.getInfo() != null && openApi.getInfo().getDescription() != null) {
                openApi.getInfo().setDescription(openApi.getInfo().getDescription() + " From a browser, the session "
                        + "cookie of POST /api/v1/session works too; writes with it need the X-CSRF-Token header.");
            }
        };
    }
}
