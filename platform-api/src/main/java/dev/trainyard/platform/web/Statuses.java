package dev.trainyard.platform.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The statuses an operation answers beyond what {@link OpenApiResponses} documents for every operation: its success
 * statuses when they are not just 200 (a create's 201, a replay's 200, a delete's 204, a download's 206 and 304), and
 * the problems only it has (409, 416, 422...). Both go into the OpenAPI document; problems as problem+json.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Statuses {

    /** Every success status of the operation, the first being the usual one; empty: springdoc's default (200). */
    int[] success() default {};

    /** Problem statuses of this operation besides the common ones. */
    int[] problems() default {};
}
