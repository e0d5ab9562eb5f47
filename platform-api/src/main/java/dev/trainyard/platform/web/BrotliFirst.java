package dev.trainyard.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.resource.AbstractResourceResolver;
import org.springframework.web.servlet.resource.EncodedResourceResolver;
import org.springframework.web.servlet.resource.ResourceResolverChain;

/**
 * Lets {@link EncodedResourceResolver} pick the {@code .br} file whenever the client accepts brotli, and never a
 * coding the client refused with {@code q=0}: that resolver takes the codings in the order the client lists them
 * and ignores q-values, but browsers send {@code gzip, deflate, br, zstd}, and the brotli file is the smaller one.
 */
class BrotliFirst extends AbstractResourceResolver {

    @Override
    protected Resource resolveResourceInternal(HttpServletRequest request, String requestPath,
            List<? extends Resource> locations, ResourceResolverChain chain) {
        return chain.resolveResource(request == null ? null : brotliFirst(request), requestPath, locations);
    }

    @Override
    protected String resolveUrlPathInternal(String resourceUrlPath, List<? extends Resource> locations,
            ResourceResolverChain chain) {
        return chain.resolveUrlPath(resourceUrlPath, locations);
    }

    private static HttpServletRequest brotliFirst(HttpServletRequest request) {
        String accepted = request.getHeader(HttpHeaders.ACCEPT_ENCODING);
        if (accepted == null) {
            return request;
        }
        String reordered = String.join(", ", acceptedCodings(accepted));
        return new HttpServletRequestWrapper(request) {
            @Override
            public String getHeader(String name) {
                return HttpHeaders.ACCEPT_ENCODING.equalsIgnoreCase(name) ? reordered : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return HttpHeaders.ACCEPT_ENCODING.equalsIgnoreCase(name)
                        ? Collections.enumeration(List.of(reordered)) : super.getHeaders(name);
            }
        };
    }

    /** The codings an Accept-Encoding header allows (q above 0), in its order but brotli first. */
    static List<String> acceptedCodings(String acceptEncoding) {
        List<String> codings = new ArrayList<>();
        for (String entry : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] parts = entry.split(";");
            String name = parts[0].strip();
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                refused |= parts[i].strip().matches("q=0(\\.0*)?");
            }
            if (!name.isEmpty() && !refused) {
                codings.add(name);
            }
        }
        if (codings.remove("br")) {
            codings.addFirst("br");
        }
        return codings;
    }
}
