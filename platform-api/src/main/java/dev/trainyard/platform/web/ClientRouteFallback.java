package dev.trainyard.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.resource.AbstractResourceResolver;
import org.springframework.web.servlet.resource.ResourceResolverChain;

/**
 * Answers index.html for a client route: a GET of an app path ({@link AppPaths}) outside {@code assets/} that
 * matches no file, whose last segment has no file extension or that a browser navigates to (Accept: text/html). A
 * missing asset or {@code /favicon.ico} stays a 404, so a browser never runs HTML as a script. The rest of the chain
 * resolves index.html, so its compressed siblings are served as for any file.
 */
class ClientRouteFallback extends AbstractResourceResolver {

    static final String INDEX = "index.html";

    @Override
    protected Resource resolveResourceInternal(HttpServletRequest request, String requestPath,
            List<? extends Resource> locations, ResourceResolverChain chain) {
        Resource found = chain.resolveResource(request, requestPath, locations);
        if (found != null || request == null || !isClientRoute(request, requestPath)) {
            return found;
        }
        return chain.resolveResource(request, INDEX, locations);
    }

    @Override
    protected String resolveUrlPathInternal(String resourceUrlPath, List<? extends Resource> locations,
            ResourceResolverChain chain) {
        return chain.resolveUrlPath(resourceUrlPath, locations);
    }

    private static boolean isClientRoute(HttpServletRequest request, String requestPath) {
        if (requestPath.startsWith("assets/")
                || !AppPaths.isAppPath(request.getRequestURI().substring(request.getContextPath().length()))) {
            return false;
        }
        String last = requestPath.substring(requestPath.lastIndexOf('/') + 1);
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return !last.contains(".") || (accept != null && accept.contains("text/html"));
    }
}
