package dev.trainyard.platform.web;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Documents the statuses every operation can answer, derived from what the operation takes, so that new endpoints
 * get them without a word: 401 (no or a bad token), 403 (scope or role), 406 (an Accept header that excludes JSON),
 * 400 when it reads parameters or a body, 404
 * when it names a resource in its path, 410 when it names a worker (which may have deregistered), 413 and 415 when it
 * reads a body. Operations add their own with
 * {@link Statuses}. Every problem is {@code application/problem+json} with the {@value #PROBLEM} schema.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiResponses {

    static final String PROBLEM = "Problem";
    private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private static final Map<Integer, String> WHY = Map.ofEntries(
            Map.entry(400, "the input is invalid: `errors` names each wrong field or parameter"),
            Map.entry(401, "no token, or an invalid, expired or revoked one"),
            Map.entry(403, "the token's scope or the caller's role does not allow this"),
            Map.entry(404, "no such resource, or not visible to the caller"),
            Map.entry(406, "the Accept header asks for a representation this operation does not produce"),
            Map.entry(409, "conflicts with the current state (the detail says which)"),
            Map.entry(410, "the worker has deregistered; register again"),
            Map.entry(412, "a precondition header does not hold"),
            Map.entry(413, "the request body is larger than the limit"),
            Map.entry(415, "the Content-Type is not one this operation reads"),
            Map.entry(416, "the Range cannot be satisfied"),
            Map.entry(422, "the content does not match what was declared"),
            Map.entry(503, "a dependency is not available; retry later"));

    @Bean
    OpenApiCustomizer problemSchema() {
        return api -> {
            Schema<Object> error = new ObjectSchema()
                    .addProperty("pointer", new StringSchema().description("JSON pointer of a body field"))
                    .addProperty("parameter", new StringSchema().description("name of a query parameter or header"))
                    .addProperty("detail", new StringSchema())
                    .addProperty("rejectedValue", new Schema<>().description("the value that was refused"));
            Schema<Object> problem = new ObjectSchema()
                    .description("RFC 9457 problem details")
                    .addProperty("type", new StringSchema().example("about:blank"))
                    .addProperty("title", new StringSchema())
                    .addProperty("status", new IntegerSchema())
                    .addProperty("detail", new StringSchema())
                    .addProperty("instance", new StringSchema())
                    .addProperty("errors", new ArraySchema().items(error));
            api.getComponents().addSchemas(PROBLEM, problem);
        };
    }

    @Bean
    OperationCustomizer commonStatuses() {
        return (operation, handler) -> {
            ApiResponses responses = operation.getResponses() != null ? operation.getResponses() : new ApiResponses();
            operation.setResponses(responses);
            Statuses own = handler.getMethodAnnotation(Statuses.class);
            if (own != null && own.success().length > 0) {
                setSuccess(responses, own.success());
            }
            RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequestMapping.class);
            boolean readsBody = Arrays.stream(handler.getMethodParameters())
                    .anyMatch(p -> p.hasParameterAnnotation(RequestBody.class))
                    || mapping != null && mapping.consumes().length > 0;
            boolean takesInput = readsBody || Arrays.stream(handler.getMethodParameters()).anyMatch(OpenApiResponses::isInput);
            boolean namesResource = Arrays.stream(handler.getMethodParameters())
                    .anyMatch(p -> p.hasParameterAnnotation(PathVariable.class));
            problem(responses, 401);
            problem(responses, 403);
            problem(responses, 406);
            if (takesInput) {
                problem(responses, 400);
            }
            if (namesResource) {
                problem(responses, 404);
            }
            if (Arrays.stream(handler.getMethodParameters()).anyMatch(p -> p.hasParameterAnnotation(PathVariable.class)
                    && "workerId".equals(p.getParameterName()))) {
                problem(responses, 410); // the worker deregistered
            }
            if (readsBody) {
                problem(responses, 413);
                problem(responses, 415);
            }
            if (own != null) {
                for (int status : own.problems()) {
                    problem(responses, status);
                }
            }
            sort(operation, responses);
            return operation;
        };
    }

    private static boolean isInput(MethodParameter p) {
        return p.hasParameterAnnotation(RequestParam.class) || p.hasParameterAnnotation(RequestHeader.class)
                || p.hasParameterAnnotation(PathVariable.class)
                || jakarta.servlet.http.HttpServletRequest.class.isAssignableFrom(p.getParameterType());
    }

    /** Replaces the generated success response by the given statuses, each with the generated content. */
    private static void setSuccess(ApiResponses responses, int[] statuses) {
        ApiResponse generated = responses.entrySet().stream()
                .filter(e -> e.getKey().startsWith("2"))
                .map(Map.Entry::getValue)
                .findFirst().orElse(new ApiResponse());
        responses.keySet().removeIf(code -> code.startsWith("2"));
        for (int status : statuses) {
            HttpStatus s = HttpStatus.valueOf(status);
            boolean noBody = status == 204 || status == 304;
            responses.addApiResponse(Integer.toString(status), new ApiResponse()
                    .description(s.getReasonPhrase())
                    .content(noBody ? null : generated.getContent())
                    .headers(generated.getHeaders()));
        }
    }

    private static void problem(ApiResponses responses, int status) {
        String code = Integer.toString(status);
        ApiResponse existing = responses.get(code);
        Content content = new Content().addMediaType(PROBLEM_JSON,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
        if (existing == null) {
            HttpStatus s = HttpStatus.valueOf(status);
            responses.addApiResponse(code, new ApiResponse()
                    .description(s.getReasonPhrase() + ": " + WHY.getOrDefault(status, "see the problem's detail"))
                    .content(content));
        } else if (existing.getContent() == null || existing.getContent().isEmpty()) {
            existing.setContent(content);
        }
    }

    private static void sort(Operation operation, ApiResponses responses) {
        TreeMap<String, ApiResponse> sorted = new TreeMap<>(responses);
        ApiResponses out = new ApiResponses();
        sorted.forEach(out::addApiResponse);
        operation.setResponses(out);
    }
}
