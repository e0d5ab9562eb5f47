package dev.trainyard.platform.workers;

import dev.trainyard.platform.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Lets worker controllers take the {@link WorkerPrincipal} as a parameter, and keeps it out of the OpenAPI document. */
@Configuration(proxyBeanMethods = false)
public class WorkerWebConfig implements WebMvcConfigurer {

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(WorkerPrincipal.class);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new PrincipalResolver());
    }

    static final class PrincipalResolver implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == WorkerPrincipal.class;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
            HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
            Object principal = request == null ? null
                    : request.getAttribute(WorkerAuthenticationFilter.PRINCIPAL_ATTRIBUTE);
            if (principal == null) {
                // a path the worker filter did not recognise as a worker path, yet routed to a worker endpoint
                throw ApiException.forbidden("worker endpoints take a worker token, at a path under "
                        + WorkerPaths.PREFIX);
            }
            return principal;
        }
    }
}
