package dev.trainyard.platform.workers;

import dev.trainyard.platform.auth.Tokens;

/** Worker tokens: {@code tyw_} and 43 URL-safe characters (256 random bits), stored as SHA-256 like user tokens. */
public final class WorkerTokens {

    /** User tokens start with {@code ty_}, so the two kinds never collide and a filter can tell them apart. */
    public static final String PREFIX = "tyw_";

    private WorkerTokens() {}

    public static String newToken() {
        return PREFIX + Tokens.newToken().substring(Tokens.PREFIX.length());
    }

    public static boolean looksLikeWorkerToken(String token) {
        return token != null && token.startsWith(PREFIX);
    }
}
