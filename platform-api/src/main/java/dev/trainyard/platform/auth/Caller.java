package dev.trainyard.platform.auth;

/**
 * Who is making the request: the user behind the bearer token and that token's scope. Controllers receive it as a
 * method parameter; services take it to check roles.
 */
public record Caller(long userId, String username, boolean siteAdmin, long tokenId, Scope scope) {}
