package dev.trainyard.platform.web;

import java.util.List;

/**
 * Every list the API returns: {@code items} and {@code nextCursor}, the value to pass as {@code cursor} for the
 * next page (null on the last page). Lists that are not paginated yet always answer null, so clients written
 * against this shape keep working when they are.
 */
public record ItemList<T>(List<T> items, String nextCursor) {

    public static <T> ItemList<T> of(List<T> items) {
        return new ItemList<>(items, null);
    }
}
