package dev.trainyard.platform.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The token scope a handler needs. Without it, GET and HEAD need {@link Scope#READ} and every other method
 * {@link Scope#WRITE}; see {@link ScopeInterceptor}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface RequiresScope {
    Scope value();
}
