package dev.trainyard.platform.runs;

import dev.trainyard.platform.runs.RunQuery.Condition;
import dev.trainyard.platform.runs.RunQuery.MetricNumber;
import dev.trainyard.platform.runs.RunQuery.ParamNumber;
import dev.trainyard.platform.runs.RunQuery.ParamText;
import java.lang.reflect.Method;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.RowMapperResultSetExtractor;
import org.springframework.stereotype.Repository;

/**
 * Lists a project's runs with filters, a sort and keyset pagination, in one SQL statement that the indexes of
 * V1__control_plane.sql answer without reading the whole project:
 * <ul>
 *   <li>sorted by a metric, the scan walks {@code run_metric_summaries_last_idx} (project, name, last_value,
 *       run_id) in order and stops after {@code limit + 1} matches; descending, it walks
 *       {@code run_metric_summaries_last_desc_idx} (V6, on -last_value and -run_id) forward instead, so that NaN
 *       values (which PostgreSQL and H2 order above every number) come last in both directions; by a parameter,
 *       {@code run_params_num_idx} for its numbers, then {@code run_params_text_idx} for its strings and booleans;
 *       the runs without the metric or parameter follow, by creation time; each of these {@link Part}s is a
 *       statement of its own (see {@link #search}); by creation time, {@code runs_project_created_idx};
 *   <li>each parameter, tag or metric filter is an EXISTS that looks up a primary key (run_id, name) per run, or
 *       is driven from its own index when it is the more selective side;
 *   <li>the next page starts after the last (sort value, id) with a row comparison, which the same index seeks.
 * </ul>
 * The statements are the same on PostgreSQL and H2. RunListPlanTest checks PostgreSQL's plan at 100,000 runs;
 * bench/runs-list times it.
 *
 * <p>On PostgreSQL the statement is planned for its values on every execution (see {@link #planForTheValues}).
 */
@Repository
public class RunSearchRepository {

    /** A run row of a page, with the value it was sorted by (for the next cursor). */
    record Row(long id, long projectId, Long experimentId, String name, RunStatus status, int priority, int attempt,
            int retries, Instant createdAt, Instant startedAt, Instant finishedAt, long createdBy, Object sortValue) {}

    /** The statement and its positional arguments. */
    record Sql(String sql, List<Object> args) {}

    /**
     * A part of a list, in the order pages walk them, read by a statement of its own and sorted by one kind of
     * value, which is also the kind of a cursor that ends in it. Sorted by creation time, a list is one part.
     */
    enum Part {
        /** The runs with a number for the sorted metric or parameter, by it. */
        NUMBERS,
        /** The runs with a string or boolean for the sorted parameter, by its text. */
        TEXTS,
        /** Sorted by a metric or parameter, the runs without it; by creation time, every run. */
        CREATION_TIMES;

        static List<Part> inOrder(RunQuery.Sort sort) {
            return switch (sort.field()) {
                case CREATED_AT -> List.of(CREATION_TIMES);
                case METRIC -> List.of(NUMBERS, CREATION_TIMES);
                case PARAM -> List.of(NUMBERS, TEXTS, CREATION_TIMES);
            };
        }

        /** The part a cursor's value (a Double, a String or an Instant, see RunQuery.Cursor) belongs to. */
        static Part of(RunQuery.Cursor cursor) {
            return switch (cursor.value()) {
                case Double number -> NUMBERS;
                case String text -> TEXTS;
                default -> CREATION_TIMES;
            };
        }
    }

    /** pgjdbc's PGStatement and its setPrepareThreshold, or null when that driver is not on the class path. */
    private static final Class<?> PG_STATEMENT = pgStatement();
    private static final Method SET_PREPARE_THRESHOLD = setPrepareThreshold();

    private final JdbcTemplate jdbc;

    public RunSearchRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * At most {@code limit + 1} rows: one more than a page tells whether there is a next page. The page starts in
     * the part of its cursor (or the first part), and runs the next part's statement only when the one before ran
     * out before filling the page.
     */
    List<Row> search(RunQuery query) {
        List<Part> parts = Part.inOrder(query.sort());
        Part start = start(query);
        List<Row> rows = new ArrayList<>();
        for (Part part : parts.subList(parts.indexOf(start), parts.size())) {
            if (rows.size() > query.limit()) {
                break;
            }
            if (!ruledOut(part, query)) {
                rows.addAll(select(build(query, part, query.limit() - rows.size()), part));
            }
        }
        return rows;
    }

    private static Part start(RunQuery query) {
        return query.after() == null ? Part.inOrder(query.sort()).getFirst() : Part.of(query.after());
    }

    /**
     * Whether the filters leave no run in a part, so that its statement need not run: a filter on the sorted
     * metric or parameter leaves no run without it (at 100,000 runs, looking for one would read the whole project,
     * about 50 ms), and a numeric filter on the sorted parameter none with a string or boolean for it.
     */
    private static boolean ruledOut(Part part, RunQuery q) {
        String name = q.sort().name();
        boolean metric = q.sort().field() == RunQuery.SortField.METRIC;
        return switch (part) {
            case NUMBERS -> false;
            case TEXTS -> q.conditions().stream().anyMatch(c -> c instanceof ParamNumber p && p.name().equals(name));
            case CREATION_TIMES -> q.sort().field() != RunQuery.SortField.CREATED_AT && q.conditions().stream()
                    .anyMatch(c -> c.name().equals(name) && (c instanceof MetricNumber) == metric);
        };
    }

    private List<Row> select(Sql sql, Part part) {
        RowMapper<Row> rows = (rs, i) -> new Row(
                rs.getLong("id"),
                rs.getLong("project_id"),
                rs.getObject("experiment_id", Long.class),
                rs.getString("name"),
                RunStatus.valueOf(rs.getString("status")),
                rs.getInt("priority"),
                rs.getInt("attempt"),
                rs.getInt("retries"),
                RunDetailsRepository.instant(rs, "created_at"),
                RunDetailsRepository.instant(rs, "started_at"),
                RunDetailsRepository.instant(rs, "finished_at"),
                rs.getLong("created_by"),
                switch (part) {
                    case NUMBERS -> rs.getDouble("sort_value");
                    case TEXTS -> rs.getString("sort_value");
                    case CREATION_TIMES -> RunDetailsRepository.instant(rs, "sort_value");
                });
        return jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(sql.sql());
            planForTheValues(statement);
            return statement;
        }, new ArgumentPreparedStatementSetter(sql.args().toArray()), new RowMapperResultSetExtractor<>(rows));
    }

    /**
     * On PostgreSQL, keeps the driver from turning the statement into a server-side prepared statement (it does
     * after five executions), whose generic plan PostgreSQL then keeps: planned without the values, it cannot
     * tell a tag on 1% of the runs from one on 30%, and at 100,000 runs such plans took 30-110 ms where the plan
     * for the values took 5 (bench/runs-list, BENCHMARKS.md). Planning each time costs about a millisecond.
     */
    static void planForTheValues(PreparedStatement statement) throws SQLException {
        if (PG_STATEMENT != null && statement.isWrapperFor(PG_STATEMENT)) {
            try {
                SET_PREPARE_THRESHOLD.invoke(statement.unwrap(PG_STATEMENT), 0);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot set the PostgreSQL driver's prepareThreshold: " + e, e);
            }
        }
    }

    private static Class<?> pgStatement() {
        try {
            return Class.forName("org.postgresql.PGStatement", false, RunSearchRepository.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static Method setPrepareThreshold() {
        try {
            return PG_STATEMENT == null ? null : PG_STATEMENT.getMethod("setPrepareThreshold", int.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("the PostgreSQL driver has no PGStatement.setPrepareThreshold(int)", e);
        }
    }

    /** The statement of the part where the query's page starts (the first one, or its cursor's). */
    static Sql build(RunQuery q) {
        return build(q, start(q), q.limit());
    }

    /**
     * The statement for one part of the list, at most {@code limit + 1} rows of it, after the cursor if that
     * ended in this part. The runs without the sorted metric or parameter are listed by creation time in the same
     * direction, so that runs_project_created_idx answers them as it answers the default list.
     */
    static Sql build(RunQuery q, Part part, int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder from = new StringBuilder(" FROM runs r");
        String sortColumn; // the value a page is sorted by, selected for the cursor
        String idColumn;
        boolean metric = q.sort().field() == RunQuery.SortField.METRIC;
        switch (part) {
            case NUMBERS -> {
                from.append(metric
                        ? " JOIN run_metric_summaries s ON s.run_id = r.id AND s.project_id = ? AND s.name = ?"
                        : " JOIN run_params s ON s.run_id = r.id AND s.project_id = ? AND s.name = ?"
                                + " AND s.num_value IS NOT NULL");
                args.add(q.projectId());
                args.add(q.sort().name());
                sortColumn = metric ? "s.last_value" : "s.num_value";
                idColumn = "s.run_id";
            }
            case TEXTS -> {
                // text_value holds numbers too (as text); those were listed among the numbers
                from.append(" JOIN run_params s ON s.run_id = r.id AND s.project_id = ? AND s.name = ?"
                        + " AND s.num_value IS NULL");
                args.add(q.projectId());
                args.add(q.sort().name());
                sortColumn = "s.text_value";
                idColumn = "s.run_id";
            }
            default -> {
                sortColumn = "r.created_at";
                idColumn = "r.id";
            }
        }
        // Descending by a metric is ascending by its negation: NaN (the largest value to PostgreSQL and H2, and its
        // own negation) then sorts last, as it does ascending. Parameters come from JSON, which has no NaN.
        boolean negated = part == Part.NUMBERS && metric && q.sort().descending();
        String sortKey = negated ? "-" + sortColumn : sortColumn;
        String idKey = negated ? "-" + idColumn : idColumn;
        boolean descending = q.sort().descending() && !negated;
        StringBuilder where = new StringBuilder(" WHERE r.project_id = ?");
        args.add(q.projectId());
        if (q.experimentId() != null) {
            where.append(" AND r.experiment_id = ?");
            args.add(q.experimentId());
        }
        if (!q.ids().isEmpty()) {
            where.append(" AND r.id IN (")
                    .append(q.ids().stream().map(id -> "?").collect(Collectors.joining(", "))).append(')');
            args.addAll(q.ids());
        }
        if (!q.statuses().isEmpty()) {
            where.append(" AND r.status IN (")
                    .append(q.statuses().stream().map(s -> "?").collect(Collectors.joining(", "))).append(')');
            q.statuses().forEach(s -> args.add(s.name()));
        }
        if (q.nameContains() != null) {
            where.append(" AND LOWER(r.name) LIKE ? ESCAPE '!'");
            args.add("%" + q.nameContains().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%")
                    .replace("_", "!_") + "%");
        }
        for (String tag : q.tags()) {
            where.append(" AND EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id AND t.project_id = ?"
                    + " AND t.tag = ?)");
            args.add(q.projectId());
            args.add(tag);
        }
        for (Condition c : q.conditions()) {
            switch (c) {
                case ParamNumber p -> {
                    where.append(" AND EXISTS (SELECT 1 FROM run_params p WHERE p.run_id = r.id AND p.project_id = ?"
                            + " AND p.name = ? AND p.num_value ").append(p.op().sql).append(" ?)");
                    args.add(q.projectId());
                    args.add(p.name());
                    args.add(p.value());
                }
                case ParamText p -> {
                    where.append(" AND EXISTS (SELECT 1 FROM run_params p WHERE p.run_id = r.id AND p.project_id = ?"
                            + " AND p.name = ? AND p.text_value ").append(p.op().sql).append(" ?)");
                    args.add(q.projectId());
                    args.add(p.name());
                    args.add(p.value());
                }
                case MetricNumber m -> {
                    where.append(" AND EXISTS (SELECT 1 FROM run_metric_summaries m WHERE m.run_id = r.id"
                            + " AND m.project_id = ? AND m.name = ? AND m.last_value ").append(m.op().sql).append(" ?");
                    args.add(q.projectId());
                    args.add(m.name());
                    args.add(m.value());
                    // PostgreSQL and H2 order NaN above every number, so > and >= would match it; IEEE says no
                    // comparison but != holds for NaN. The upper bound also keeps the index range closed.
                    if (m.op() == RunQuery.Op.GT || m.op() == RunQuery.Op.GE) {
                        where.append(" AND m.last_value < ?");
                        args.add(Double.NaN);
                    }
                    where.append(')');
                }
            }
        }
        if (part == Part.CREATION_TIMES && q.sort().field() != RunQuery.SortField.CREATED_AT) {
            where.append(" AND NOT EXISTS (SELECT 1 FROM ").append(metric ? "run_metric_summaries" : "run_params")
                    .append(" w WHERE w.run_id = r.id AND w.project_id = ? AND w.name = ?)");
            args.add(q.projectId());
            args.add(q.sort().name());
        }
        String direction = descending ? "DESC" : "ASC";
        if (q.after() != null && Part.of(q.after()) == part) {
            where.append(" AND (").append(sortKey).append(", ").append(idKey).append(") ")
                    .append(descending ? "<" : ">").append(" (?, ?)");
            Object value = q.after().value();
            args.add(value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC)
                    : negated ? -(Double) value : value);
            args.add(negated ? -q.after().id() : q.after().id());
        }
        String sql = "SELECT r.id, r.project_id, r.experiment_id, r.name, r.status, r.priority, r.attempt, r.retries,"
                + " r.created_at, r.started_at, r.finished_at, r.created_by, " + sortColumn + " AS sort_value"
                + from + where
                + " ORDER BY " + sortKey + " " + direction + ", " + idKey + " " + direction
                + " LIMIT ?";
        args.add(limit + 1);
        return new Sql(sql, args);
    }
}
