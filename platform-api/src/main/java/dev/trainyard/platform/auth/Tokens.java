package dev.trainyard.platform.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Making and hashing API tokens: {@code ty_} and 43 URL-safe characters (256 random bits); stored as SHA-256 hex. */
public final class Tokens {

    public static final String PREFIX = "ty_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    public static String newToken() {
        return newSecret(PREFIX);
    }

    /** A prefix and 256 random bits as 43 URL-safe characters: tokens, session ids, login codes, CSRF tokens. */
    public static String newSecret(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The first characters of a token, kept in clear so a person can tell their tokens apart in a list. */
    public static String displayPrefix(String token) {
        return token.substring(0, Math.min(10, token.length()));
    }
}
