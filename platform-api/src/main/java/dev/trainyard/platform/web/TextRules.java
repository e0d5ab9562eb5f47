package dev.trainyard.platform.web;

/** Which control characters a text may hold: see {@link SingleLine} and {@link MultiLine}. */
public final class TextRules {

    private TextRules() {}

    /**
     * The index of the first C0 control character (U+0000 to U+001F) or DEL in {@code s}, or -1; tab, LF and CR count
     * only when {@code multiLine} is false.
     */
    public static int firstControl(String s, boolean multiLine) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 || c == 0x7f) && !(multiLine && (c == '\t' || c == '\n' || c == '\r'))) {
                return i;
            }
        }
        return -1;
    }

    /** A problem's wording for the control character at {@code index}: "U+0000 at index 3". */
    public static String describe(String s, int index) {
        return String.format("U+%04X at index %d", (int) s.charAt(index), index);
    }
}
