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
 *       values (which PostgreSQL and H2 order above every number) come last in both directions; the runs without
 *       the metric follow, by creation time (a second statement, see {@link #search}); by a parameter,
 *       {@code run_params_num_idx}; by creation time, {@code runs_project_created_idx};
 *   <li>each parameter, tag or metric filter is an EXISTS that looks up a primary key (run_id, name) per run, or
 *       is driven from its own index when it is the more selective side;
 *   <li>the next page starts after the last (sort value, id) with a row comparison, which the same index seeks.
 * </ul>
 * The statement is the same on PostgreSQL and H2. RunListPlanTest checks PostgreSQL's plan at 100,000 runs;
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

    /** pgjdbc's PGStatement and its setPrepareThreshold, or null when that driver is not on the class path. */
    private static final Class<?> PG_STATEMENT = pgStatement();
    private static final Method SET_PREPARE_THRESHOLD = setPrepareThreshold();

    private final JdbcTemplate jdbc;

    public RunSearchRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * At most {@code limit + 1} rows: one more than a page tells whether there is a next page. Sorted by a metric,
     * the runs without it follow the runs with it, from a second statement run only when the first one ran out
     * before filling the page (or the cursor is already past it).
     */
    List<Row> search(RunQuery query) {
        if (query.sort().field() != RunQuery.SortField.METRIC) {
            return select(build(query), query.sort().field() == RunQuery.SortField.CREATED_AT);
        }
        boolean pastTheMetric = query.after() != null && query.after().value() instanceof Instant;
        List<Row> rows = new ArrayList<>(pastTheMetric ? List.of() : select(build(query), false));
        // a filter on the sorted metric leaves no run without it; at 100,000 runs, looking for one would read the
        // whole project (about 50 ms)
        boolean filteredOnTheMetric = query.conditions().stream()
                .anyMatch(c -> c instanceof MetricNumber m && m.name().equals(query.sort().name()));
        if (rows.size() <= query.limit() && !filteredOnTheMetric) {
            rows.addAll(select(buildWithoutMetric(query, query.limit() - rows.size()), true));
        }
        return rows;
    }

    private List<Row> select(Sql sql, boolean byTime) {
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
                byTime ? RunDetailsRepository.instant(rs, "sort_value") : (Object) rs.getDouble("sort_value"));
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

    /**
     * The runs that lack the metric {@code q} sorts by, after the ones that have it: by creation time in the same
     * direction (so runs_project_created_idx answers it as it answers the default list), at most
     * {@code limit + 1} of them.
     */
    static Sql buildWithoutMetric(RunQuery q, int limit) {
        boolean pastTheMetric = q.after() != null && q.after().value() instanceof Instant;
        RunQuery byTime = new RunQuery(q.projectId(), q.experimentId(), q.statuses(), q.tags(), q.conditions(),
                new RunQuery.Sort(RunQuery.SortField.CREATED_AT, null, q.sort().descending()),
                pastTheMetric ? q.after() : null, limit);
        return build(byTime, q.sort().name());
    }

    static Sql build(RunQuery q) {
        return build(q, null);
    }

    private static Sql build(RunQuery q, String withoutMetric) {
        List<Object> args = new ArrayList<>();
        StringBuilder from = new StringBuilder(" FROM runs r");
        String sortColumn; // the value a page is sorted by, selected for the cursor
        String idColumn;
        switch (q.sort().field()) {
            case METRIC -> {
                from.append(" JOIN run_metric_summaries s ON s.run_id = r.id AND s.project_id = ? AND s.name = ?");
                args.add(q.projectId());
                args.add(q.sort().name());
                sortColumn = "s.last_value";
                idColumn = "s.run_id";
            }
            case PARAM -> {
                from.append(" JOIN run_params s ON s.run_id = r.id AND s.project_id = ? AND s.name = ?"
                        + " AND s.num_value IS NOT NULL");
                args.add(q.projectId());
                args.add(q.sort().name());
                sortColumn = "s.num_value";
                idColumn = "s.run_id";
            }
            default -> {
                sortColumn = "r.created_at";
                idColumn = "r.id";
            }
        }
        // Descending by a metric is ascending by its negation: NaN (the largest value to PostgreSQL and H2, and its
        // own negation) then sorts last, as it does ascending. Parameters come from JSON, which has no NaN.
        boolean negated = q.sort().field() == RunQuery.SortField.METRIC && q.sort().descending();
        String sortKey = negated ? "-" + sortColumn : sortColumn;
        String idKey = negated ? "-" + idColumn : idColumn;
        boolean descending = q.sort().descending() && !negated;
        StringBuilder where = new StringBuilder(" WHERE r.project_id = ?");
        args.add(q.projectId());
        if (q.experimentId() != null) {
            where.append(" AND r.experiment_id = ?");
            args.add(q.experimentId());
        }
        if (!q.statuses().isEmpty()) {
            where.append(" AND r.status IN (")
                    .append(q.statuses().stream().map(s -> "?").collect(Collectors.joining(", "))).append(')');
            q.statuses().forEach(s -> args.add(s.name()));
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
        if (withoutMetric != null) {
            where.append(" AND NOT EXISTS (SELECT 1 FROM run_metric_summaries w WHERE w.run_id = r.id"
                    + " AND w.project_id = ? AND w.name = ?)");
            args.add(q.projectId());
            args.add(withoutMetric);
        }
        String direction = descending ? "DESC" : "ASC";
        if (q.after() != null) {
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
        args.add(q.limit() + 1);
        return new Sql(sql, args);
    }
}
