package dev.trainyard.platform.web;

import java.util.List;
import java.util.Locale;

/**
 * The paging and search parameters of the key listings (metric keys, param keys): a page of at most
 * {@code limit} names in order after {@code cursor}, those containing {@code q} (ignoring case).
 */
public record KeySearch(String q, int limit, String cursor) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    /** Key names are at most this long, so a longer search can match nothing. */
    public static final int MAX_NAME = 200;

    /** Checks the query parameters; a bad one is a 400 naming it. */
    public static KeySearch of(String q, Integer limit, String cursor) {
        int n = limit == null ? DEFAULT_LIMIT : limit;
        if (n < 1 || n > MAX_LIMIT) {
            throw ApiException.badRequest(FieldProblem.atParameter("limit", "from 1 to " + MAX_LIMIT, limit));
        }
        if (q != null && q.length() > MAX_NAME) {
            throw ApiException.badRequest(FieldProblem.atParameter("q", "at most " + MAX_NAME + " characters",
                    q.length() + " characters"));
        }
        String text = q == null || q.isBlank() ? null : q.strip();
        return new KeySearch(text, n, cursor == null || cursor.isEmpty() ? null : cursor);
    }

    /** The LIKE pattern (escape character '!') that finds {@code q} anywhere in a lower-cased name, or null. */
    public String containsPattern() {
        return q == null ? null : "%" + escapeLike(q.toLowerCase(Locale.ROOT)) + "%";
    }

    public static String escapeLike(String text) {
        return text.replace("!", "!!").replace("_", "!_").replace("%", "!%");
    }

    /** One page from the {@code limit + 1} names read: the first {@code limit}, and the cursor after them. */
    public ItemList<String> page(List<String> read) {
        if (read.size() <= limit) {
            return new ItemList<>(read, null);
        }
        List<String> page = read.subList(0, limit);
        return new ItemList<>(List.copyOf(page), page.getLast());
    }
}
