package dev.trainyard.platform.artifacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code Range} request header (RFC 9110 §14) against a representation of {@code size} bytes. Following the RFC,
 * a header the server does not understand (another unit, bad syntax, a range that ends before it starts) is
 * ignored and the whole representation is sent; so is one with more than {@link #MAX_RANGES} ranges. A valid header
 * none of whose ranges overlaps the representation is unsatisfiable (416).
 *
 * <p>So that no request makes the server send more than the representation (RFC 9110 §14.2 and its security
 * considerations: sixteen {@code 0-} ranges used to send the file sixteen times), overlapping and adjacent ranges
 * are coalesced into one (then sent in ascending order), and a header whose ranges add up to more than the
 * representation, or whose parts with their multipart headers would, is answered with the whole representation.
 */
sealed interface ByteRanges {

    int MAX_RANGES = 16;

    /** About what a part of multipart/byteranges costs besides its bytes: boundary, type, range. */
    int PART_OVERHEAD = 120;

    /** Send everything (no Range header, or one to ignore). */
    record Whole() implements ByteRanges {}

    /** 416. */
    record Unsatisfiable() implements ByteRanges {}

    /** 206 with these ranges, in the order asked for. */
    record Partial(List<Range> ranges) implements ByteRanges {}

    /** Bytes {@code first..last}, both included. */
    record Range(long first, long last) {
        long length() {
            return last - first + 1;
        }

        String contentRange(long size) {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    static ByteRanges parse(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        String h = header.strip();
        int eq = h.indexOf('=');
        if (eq < 0 || !h.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("bytes")) {
            return new Whole();
        }
        String[] specs = h.substring(eq + 1).split(",", -1);
        if (specs.length > MAX_RANGES) {
            return new Whole();
        }
        List<Range> ranges = new ArrayList<>();
        for (String raw : specs) {
            String spec = raw.strip();
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return new Whole();
            }
            String a = spec.substring(0, dash).strip();
            String b = spec.substring(dash + 1).strip();
            Long first = digits(a);
            Long last = digits(b);
            if (a.isEmpty()) {
                // suffix: the last `last` bytes
                if (last == null) {
                    return new Whole();
                }
                if (last > 0 && size > 0) {
                    ranges.add(new Range(Math.max(0, size - last), size - 1));
                }
                continue;
            }
            if (first == null || (!b.isEmpty() && (last == null || last < first))) {
                return new Whole();
            }
            if (first < size) {
                ranges.add(new Range(first, b.isEmpty() ? size - 1 : Math.min(last, size - 1)));
            }
        }
        if (ranges.isEmpty()) {
            return new Unsatisfiable();
        }
        long asked = 0;
        for (Range r : ranges) {
            asked += r.length();
        }
        if (ranges.size() > 1 && asked > size) {
            return new Whole();
        }
        List<Range> parts = coalesce(ranges);
        if (parts.size() > 1) {
            long sent = 0;
            for (Range r : parts) {
                sent += r.length() + PART_OVERHEAD;
            }
            if (sent >= size) {
                return new Whole();
            }
        }
        return new Partial(parts);
    }

    /** Overlapping or adjacent ranges merged, ascending; the ranges as asked for when none touch. */
    private static List<Range> coalesce(List<Range> ranges) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(java.util.Comparator.comparingLong(Range::first));
        List<Range> merged = new ArrayList<>();
        for (Range r : sorted) {
            Range last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && r.first() <= last.last() + 1) {
                merged.set(merged.size() - 1, new Range(last.first(), Math.max(last.last(), r.last())));
            } else {
                merged.add(r);
            }
        }
        return merged.size() == ranges.size() ? ranges : merged;
    }

    private static Long digits(String s) {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(s);
    }
}
