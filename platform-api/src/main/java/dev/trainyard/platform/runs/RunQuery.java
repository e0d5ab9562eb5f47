package dev.trainyard.platform.runs;

import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed list request: {@code GET /api/v1/projects/{id}/runs?status=..&tag=..&param.lr<0.01&sort=metric.acc,desc}.
 *
 * <p>Query parameters:
 * <ul>
 *   <li>{@code status} - one or more statuses (repeat it, or separate with commas); any of them matches
 *   <li>{@code tag} - repeatable; a run must carry every tag given
 *   <li>{@code id} - run ids (repeat it, or separate with commas), at most {@value #MAX_IDS}: the runs of a
 *       comparison in one request; an id of another project's run, or of no run, matches nothing
 *   <li>{@code experimentId}
 *   <li>{@code name} - text the run's name contains, ignoring case
 *   <li>{@code param.<name><op><value>} and {@code metric.<name><op><value>}, with op one of
 *       {@code = != < <= > >=}, written straight into the query string ({@code ?param.lr<0.01}) or as
 *       {@code filter=param.lr<0.01} (repeatable; URL-encode it). A number compares numerically; other values
 *       (or a number in double quotes) compare as text, with = and != only. Metrics compare their latest value.
 *       A run without that parameter or metric never matches; a NaN metric matches {@code !=} only.
 *   <li>{@code sort} - {@code createdAt} (default), {@code metric.<name>} (latest value) or {@code param.<name>},
 *       then {@code ,asc} or {@code ,desc} (default desc). Sorting by a parameter lists its numbers first
 *       (numerically), then its strings and booleans (by their text), each in the direction asked. Sorting by
 *       a metric or a parameter lists the runs without it last, by creation time in the same direction.
 *   <li>{@code limit} - 1 to 500, default 50; {@code cursor} - the {@code nextCursor} of the previous page
 * </ul>
 */
public record RunQuery(
        long projectId,
        Long experimentId,
        Set<Long> ids,
        Set<RunStatus> statuses,
        List<String> tags,
        List<Condition> conditions,
        String nameContains,
        Sort sort,
        Cursor after,
        int limit) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    /** As many runs as the dashboard compares (and a metrics query takes). */
    public static final int MAX_IDS = 100;
    static final int MAX_NAME_TEXT = 200;
    static final String NAME = "[A-Za-z0-9_.:/-]{1,200}";
    private static final Pattern NAME_PATTERN = Pattern.compile(NAME);
    private static final Pattern CONDITION =
            Pattern.compile("(param|metric)\\.(" + NAME + ")\\s*(<=|>=|!=|=|<|>)\\s*(.*)", Pattern.DOTALL);
    /** Marks a metric- or param-sorted cursor whose value is the creation time of a run without it. */
    private static final String WITHOUT = "none@";
    /** Marks a param-sorted cursor whose value is the text of a string or boolean parameter. */
    private static final String TEXT = "text@";
    private static final Pattern NUMBER = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    public enum Op {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        final String sql;

        Op(String sql) {
            this.sql = sql;
        }

        static Op of(String text) {
            return switch (text) {
                case "=" -> EQ;
                case "!=" -> NE;
                case "<" -> LT;
                case "<=" -> LE;
                case ">" -> GT;
                default -> GE;
            };
        }
    }

    /** One comparison on a parameter or a metric summary. */
    public sealed interface Condition {
        String name();

        Op op();
    }

    public record ParamNumber(String name, Op op, double value) implements Condition {}

    public record ParamText(String name, Op op, String value) implements Condition {}

    public record MetricNumber(String name, Op op, double value) implements Condition {}

    public enum SortField { CREATED_AT, METRIC, PARAM }

    public record Sort(SortField field, String name, boolean descending) {
        static final Sort DEFAULT = new Sort(SortField.CREATED_AT, null, true);

        /** As written in the query: {@code metric.test_acc,desc}. */
        String text() {
            String f = switch (field) {
                case CREATED_AT -> "createdAt";
                case METRIC -> "metric." + name;
                case PARAM -> "param." + name;
            };
            return f + (descending ? ",desc" : ",asc");
        }
    }

    /**
     * Where the previous page stopped: the sort value and id of its last run. Opaque to clients (base64url of
     * {@code sort|value|id}); a cursor made under another sort is refused. The value is a Double (a metric's or
     * a parameter's number), a String (a string or boolean parameter's text) or an Instant (a creation time: sorted
     * by createdAt, or by a metric or parameter the page's last run does not have).
     */
    public record Cursor(Object value, long id) {}

    /** Parses the query parameters of a list request, collecting every problem into one 400. */
    public static RunQuery parse(long projectId, Map<String, String[]> parameters) {
        List<FieldProblem> problems = new ArrayList<>();
        Long experimentId = null;
        Set<Long> ids = new LinkedHashSet<>();
        Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
        List<String> tags = new ArrayList<>();
        List<String[]> conditionTexts = new ArrayList<>(); // {query parameter, condition}
        Sort sort = Sort.DEFAULT;
        String cursorText = null;
        String nameContains = null;
        int limit = DEFAULT_LIMIT;

        for (Map.Entry<String, String[]> entry : parameters.entrySet()) {
            String key = entry.getKey();
            for (String value : entry.getValue()) {
                switch (key) {
                    case "status" -> {
                        for (String s : value.split(",")) {
                            try {
                                statuses.add(RunStatus.valueOf(s.strip().toUpperCase(Locale.ROOT)));
                            } catch (IllegalArgumentException e) {
                                problems.add(FieldProblem.atParameter("status",
                                        "must be QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED", s));
                            }
                        }
                    }
                    case "id" -> {
                        for (String id : value.split(",")) {
                            try {
                                long parsed = Long.parseLong(id.strip());
                                if (parsed < 1) {
                                    throw new NumberFormatException();
                                }
                                ids.add(parsed);
                            } catch (NumberFormatException e) {
                                problems.add(FieldProblem.atParameter("id", "must be run ids (positive whole numbers), "
                                        + "repeated or comma-separated", id.strip()));
                            }
                        }
                    }
                    case "tag" -> tags.add(value);
                    case "experimentId" -> {
                        try {
                            experimentId = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            problems.add(FieldProblem.atParameter("experimentId", "must be an experiment id (a number)", value));
                        }
                    }
                    case "filter" -> conditionTexts.add(new String[] {"filter", value});
                    case "name" -> {
                        if (value.length() > MAX_NAME_TEXT) {
                            problems.add(FieldProblem.atParameter("name", "at most " + MAX_NAME_TEXT
                                    + " characters (run names are no longer)", value));
                        } else if (!value.isBlank()) {
                            nameContains = value.strip();
                        }
                    }
                    case "sort" -> {
                        Sort parsed = parseSort(value);
                        if (parsed == null) {
                            problems.add(FieldProblem.atParameter("sort", "must be createdAt, metric.<name> or "
                                    + "param.<name>, optionally followed by ,asc or ,desc", value));
                        } else {
                            sort = parsed;
                        }
                    }
                    case "cursor" -> cursorText = value;
                    case "limit" -> {
                        try {
                            limit = Integer.parseInt(value);
                            if (limit < 1 || limit > MAX_LIMIT) {
                                throw new NumberFormatException();
                            }
                        } catch (NumberFormatException e) {
                            problems.add(FieldProblem.atParameter("limit", "must be an integer from 1 to " + MAX_LIMIT,
                                    value));
                        }
                    }
                    default -> {
                        if (key.startsWith("param.") || key.startsWith("metric.")) {
                            // ?param.lr<0.01 arrives as the name "param.lr<0.01"; ?param.lr>=0.1 as "param.lr>" = "0.1"
                            conditionTexts.add(new String[] {key, value.isEmpty() ? key : key + "=" + value});
                        } else {
                            problems.add(FieldProblem.atParameter(key, "unknown query parameter; see the API "
                                    + "documentation for the filters a run list takes", value));
                        }
                    }
                }
            }
        }
        if (ids.size() > MAX_IDS) {
            problems.add(FieldProblem.atParameter("id", "at most " + MAX_IDS + " run ids in one request",
                    ids.size()));
        }
        List<Condition> conditions = new ArrayList<>();
        for (String[] pair : conditionTexts) {
            Object parsed = parseCondition(pair[1]);
            if (parsed instanceof Condition c) {
                conditions.add(c);
            } else {
                problems.add(FieldProblem.atParameter(pair[0], (String) parsed, pair[1]));
            }
        }
        Cursor cursor = null;
        if (cursorText != null) {
            cursor = decodeCursor(cursorText, sort);
            if (cursor == null) {
                problems.add(FieldProblem.atParameter("cursor",
                        "not a cursor of this listing; pass the nextCursor of the previous page with the same sort",
                        cursorText));
            }
        }
        if (!problems.isEmpty()) {
            FieldProblem first = problems.getFirst();
            throw ApiException.badRequest(first.parameter() + ": " + first.detail(), problems);
        }
        return new RunQuery(projectId, experimentId, Set.copyOf(ids), statuses, List.copyOf(tags),
                List.copyOf(conditions), nameContains, sort, cursor, limit);
    }

    static Sort parseSort(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length > 2) {
            return null;
        }
        boolean descending = true;
        if (parts.length == 2) {
            switch (parts[1].strip().toLowerCase(Locale.ROOT)) {
                case "asc" -> descending = false;
                case "desc" -> descending = true;
                default -> {
                    return null;
                }
            }
        }
        String field = parts[0].strip();
        if (field.equals("createdAt")) {
            return new Sort(SortField.CREATED_AT, null, descending);
        }
        for (SortField kind : List.of(SortField.METRIC, SortField.PARAM)) {
            String prefix = kind == SortField.METRIC ? "metric." : "param.";
            if (field.startsWith(prefix) && NAME_PATTERN.matcher(field.substring(prefix.length())).matches()) {
                return new Sort(kind, field.substring(prefix.length()), descending);
            }
        }
        return null;
    }

    /** A Condition, or a String saying what is wrong. */
    static Object parseCondition(String text) {
        Matcher m = CONDITION.matcher(text.strip());
        if (!m.matches()) {
            return "must look like param.<name><op><value> or metric.<name><op><value>, with op one of "
                    + "= != < <= > >=, such as param.lr<0.01";
        }
        boolean metric = m.group(1).equals("metric");
        String name = m.group(2);
        Op op = Op.of(m.group(3));
        String literal = m.group(4).strip();
        if (NUMBER.matcher(literal).matches()) {
            double number = Double.parseDouble(literal);
            return metric ? new MetricNumber(name, op, number) : new ParamNumber(name, op, number);
        }
        if (metric) {
            return "metrics compare with numbers; '" + literal + "' is not a number";
        }
        if (literal.length() >= 2 && literal.startsWith("\"") && literal.endsWith("\"")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        if (op != Op.EQ && op != Op.NE) {
            return "text values compare with = and != only; to compare numbers, give a number";
        }
        return new ParamText(name, op, literal);
    }

    static String encodeCursor(Sort sort, Object value, long id) {
        String v = switch (value) {
            case Instant instant -> (sort.field() == SortField.CREATED_AT ? "" : WITHOUT)
                    + Long.toString(instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000);
            case String text -> TEXT + text;
            default -> Double.toString((Double) value);
        };
        String raw = sort.text() + "|" + v + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decodeCursor(String text, Sort sort) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            String prefix = sort.text() + "|";
            int last = raw.lastIndexOf('|'); // a parameter's text may hold '|' too; the id does not
            if (!raw.startsWith(prefix) || last < prefix.length()) {
                return null;
            }
            String v = raw.substring(prefix.length(), last);
            long id = Long.parseLong(raw.substring(last + 1));
            if (sort.field() == SortField.PARAM && v.startsWith(TEXT)) {
                return new Cursor(v.substring(TEXT.length()), id);
            }
            boolean without = sort.field() != SortField.CREATED_AT && v.startsWith(WITHOUT);
            if (sort.field() == SortField.CREATED_AT || without) {
                long micros = Long.parseLong(without ? v.substring(WITHOUT.length()) : v);
                return new Cursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1000), id);
            }
            return new Cursor(Double.parseDouble(v), id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
