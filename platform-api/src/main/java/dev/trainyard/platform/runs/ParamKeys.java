package dev.trainyard.platform.runs;

import dev.trainyard.platform.web.KeySearch;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The distinct param names of a project's runs, read from run_params without a table of their own: a loose index
 * scan (one probe of the (project_id, name, ...) index per distinct name, however many runs share it), so listing
 * thousands of names costs thousands of probes, not a pass over every run's params.
 */
@Repository
public class ParamKeys {

    private final JdbcClient jdbc;

    public ParamKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to {@code limit} names in order after {@code after} (exclusive), containing the pattern when given. */
    public List<String> list(long projectId, String containsPattern, String after, int limit) {
        // The recursion stops as soon as the outer query has its rows (PostgreSQL evaluates it on demand).
        String sql = "WITH RECURSIVE k (name) AS ("
                + " SELECT MIN(name) FROM run_params WHERE project_id = :p AND name > :after"
                + " UNION ALL"
                + " SELECT (SELECT MIN(r.name) FROM run_params r WHERE r.project_id = :p AND r.name > k.name)"
                + " FROM k WHERE k.name IS NOT NULL)"
                + " SELECT name FROM k WHERE name IS NOT NULL"
                + (containsPattern == null ? "" : " AND LOWER(name) LIKE :q ESCAPE '!'")
                + " FETCH FIRST " + limit + " ROWS ONLY";
        var spec = jdbc.sql(sql).param("p", projectId).param("after", after == null ? "" : after);
        if (containsPattern != null) {
            spec = spec.param("q", containsPattern);
        }
        return spec.query(String.class).list();
    }
}
