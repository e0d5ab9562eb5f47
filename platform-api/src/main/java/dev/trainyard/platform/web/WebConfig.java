package dev.trainyard.platform.web;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.auth.CallerArgumentResolver;
import dev.trainyard.platform.auth.ScopeInterceptor;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
public class WebConfig implements WebMvcConfigurer {

    static {
        // Caller is resolved from the bearer token, not from the request: keep it out of the OpenAPI document.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    private final ScopeInterceptor scopes;
    private final CallerArgumentResolver callers;

    public WebConfig(ScopeInterceptor scopes, CallerArgumentResolver callers) {
        this.scopes = scopes;
        this.callers = callers;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(scopes).addPathPatterns("/api/**");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(callers);
    }

    @Bean
    OpenAPI trainyardOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Trainyard platform API").version("v1")
                        .description("Projects, experiments and training runs. Every endpoint needs "
                                + "'Authorization: Bearer <token>'; errors are RFC 9457 problem+json."))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
