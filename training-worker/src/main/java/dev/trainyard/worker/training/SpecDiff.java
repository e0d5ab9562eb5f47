package dev.trainyard.worker.training;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/** Where two JSON documents first differ, as "pointer: a vs b", for error messages. */
final class SpecDiff {
    private SpecDiff() {
    }

    static String firstDifference(JsonNode a, JsonNode b) {
        String d = diff(a, b, "");
        return d == null ? "(none)" : d;
    }

    private static String diff(JsonNode a, JsonNode b, String ptr) {
        if (a == null || b == null || a.getNodeType() != b.getNodeType()) {
            return (ptr.isEmpty() ? "/" : ptr) + ": " + a + " vs " + b;
        }
        if (a.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                String d = diff(a.get(n), b.get(n), ptr + "/" + n);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a.isArray()) {
            Iterator<JsonNode> ia = a.elements();
            Iterator<JsonNode> ib = b.elements();
            int i = 0;
            while (ia.hasNext() || ib.hasNext()) {
                String d = diff(ia.hasNext() ? ia.next() : null, ib.hasNext() ? ib.next() : null, ptr + "/" + i++);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return a.equals(b) ? null : (ptr.isEmpty() ? "/" : ptr) + ": " + a + " vs " + b;
    }
}
