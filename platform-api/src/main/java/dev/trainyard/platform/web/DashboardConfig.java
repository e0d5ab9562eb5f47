package dev.trainyard.platform.web;

import io.swagger.v3.oas.annotations.Hidden;
import java.time.Duration;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.CacheControl;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.EncodedResourceResolver;

/**
 * Serves the dashboard (the web-ui module's jar puts Vite's output under {@code classpath:/dashboard/}; another
 * place with {@code trainyard.dashboard.location}) at {@code /}, without authentication: the app is public, its data
 * is not. Hashed files under {@code /assets/} are cached for a year; index.html and the other top-level files are
 * revalidated every time. A GET for a client route (a path outside {@code /assets/} that has no file: see
 * {@link ClientRouteFallback}) answers index.html. The {@code .br} or {@code .gz} sibling of a file is sent when
 * the request's Accept-Encoding allows, brotli first. A jar built without the web-ui module answers {@code /} with
 * a 404 problem saying how to build the dashboard; the API works the same either way.
 */
@Configuration(proxyBeanMethods = false)
public class DashboardConfig implements WebMvcConfigurer {

    static final String LOCATION_PROPERTY = "trainyard.dashboard.location";
    static final String DEFAULT_LOCATION = "classpath:/dashboard/";
    static final CacheControl HASHED_FILES = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

    private final String location;
    private final boolean built;

    public DashboardConfig(Environment environment, ResourceLoader resources) {
        this.location = location(environment);
        this.built = isBuilt(environment, resources);
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        if (!built) {
            return;
        }
        // no resource cache (resourceChain(false)): it would keep an entry for every client route ever asked for
        registry.addResourceHandler("/assets/**")
                .addResourceLocations(location + "assets/")
                .setCacheControl(HASHED_FILES)
                .resourceChain(false)
                .addResolver(new BrotliFirst())
                .addResolver(new EncodedResourceResolver());
        registry.addResourceHandler("/**")
                .addResourceLocations(location)
                .setCacheControl(CacheControl.noCache())
                .resourceChain(false)
                .addResolver(new ClientRouteFallback())
                .addResolver(new BrotliFirst())
                .addResolver(new EncodedResourceResolver());
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        if (built) {
            registry.addViewController("/").setViewName("forward:/index.html");
        }
    }

    private static String location(Environment environment) {
        String value = environment.getProperty(LOCATION_PROPERTY, DEFAULT_LOCATION);
        return value.endsWith("/") ? value : value + "/";
    }

    static boolean isBuilt(Environment environment, ResourceLoader resources) {
        return resources.getResource(location(environment) + "index.html").exists();
    }

    /** Only where the dashboard is missing: says so at {@code /} instead of a bare 404. */
    static final class NotBuilt implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !isBuilt(context.getEnvironment(), context.getResourceLoader());
        }
    }

    @Hidden
    @RestController
    @Conditional(NotBuilt.class)
    static class DashboardNotBuilt {

        @GetMapping({"/", "/index.html"})
        void notBuilt() {
            throw ApiException.notFound("the dashboard is not part of this build: build the platform with the "
                    + "web-ui module (./mvnw -pl platform-api -am package, with Node 20+ and npm installed) or set "
                    + LOCATION_PROPERTY + " to a folder holding it. The API works without it: /api/v1, documented "
                    + "at /swagger-ui.html");
        }
    }
}
