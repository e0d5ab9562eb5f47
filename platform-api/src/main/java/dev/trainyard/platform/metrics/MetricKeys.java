package dev.trainyard.platform.metrics;

import dev.trainyard.platform.projects.ProjectQuotas;
import dev.trainyard.platform.web.KeySearch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Metric names interned per project (table metric_keys): points store a key id, not the name. Ids never change
 * once given, so they are cached; the cache holds at most {@value #MAX_CACHED} names and starts over when full.
 * New names count against the project's quota ({@link ProjectQuotas}) in the transaction that creates them, and
 * enter the cache only once it commits, so a refused write leaves neither rows nor ids behind.
 */
@Repository
class MetricKeys {

    static final int MAX_CACHED = 200_000;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final ProjectQuotas quotas;
    private final TransactionTemplate tx;
    private final Map<CacheKey, Long> cache = new ConcurrentHashMap<>();

    private record CacheKey(long projectId, String name) {}

    MetricKeys(JdbcClient jdbc, JdbcTemplate template, ProjectQuotas quotas, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.template = template;
        this.quotas = quotas;
        this.tx = new TransactionTemplate(transactions); // joins the caller's transaction when there is one
    }

    /**
     * The ids of these names in the project, creating the names it does not have yet (409 when that would take the
     * project over its metric-key quota). Names all cached cost no query.
     */
    Map<String, Long> intern(long projectId, Collection<String> names) {
        Map<String, Long> ids = new LinkedHashMap<>();
        List<String> missing = cached(projectId, names, ids);
        if (!missing.isEmpty()) {
            tx.executeWithoutResult(status -> {
                List<Object[]> rows = missing.stream().sorted().map(n -> new Object[] {projectId, n}).toList();
                int[] counts = template.batchUpdate("INSERT INTO metric_keys (project_id, name) VALUES (?, ?) "
                        + "ON CONFLICT DO NOTHING", rows);
                long created = 0;
                for (int c : counts) {
                    created += c == 0 ? 0 : 1; // a driver that reports no count (-2) is counted as a creation
                }
                quotas.addMetricKeys(projectId, created);
                load(projectId, missing, ids);
            });
        }
        return ids;
    }

    /** The ids of those of these names the project has; names it has not are left out. */
    Map<String, Long> resolve(long projectId, Collection<String> names) {
        Map<String, Long> ids = new LinkedHashMap<>();
        List<String> missing = cached(projectId, names, ids);
        if (!missing.isEmpty()) {
            load(projectId, missing, ids);
        }
        return ids;
    }

    /**
     * The project's key names in order, after {@code after} (exclusive), starting with {@code prefix} and matching
     * {@code containsPattern} (a LIKE pattern on the lower-cased name; see {@link KeySearch}) when given.
     */
    List<String> list(long projectId, String prefix, String containsPattern, String after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT name FROM metric_keys WHERE project_id = :p");
        if (prefix != null && !prefix.isEmpty()) {
            sql.append(" AND name LIKE :prefix ESCAPE '!'");
        }
        if (containsPattern != null) {
            sql.append(" AND LOWER(name) LIKE :q ESCAPE '!'");
        }
        if (after != null) {
            sql.append(" AND name > :after");
        }
        sql.append(" ORDER BY name FETCH FIRST ").append(limit).append(" ROWS ONLY");
        var spec = jdbc.sql(sql.toString()).param("p", projectId);
        if (prefix != null && !prefix.isEmpty()) {
            spec = spec.param("prefix", KeySearch.escapeLike(prefix) + "%");
        }
        if (containsPattern != null) {
            spec = spec.param("q", containsPattern);
        }
        if (after != null) {
            spec = spec.param("after", after);
        }
        return spec.query(String.class).list();
    }

    private List<String> cached(long projectId, Collection<String> names, Map<String, Long> ids) {
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            Long id = cache.get(new CacheKey(projectId, name));
            if (id != null) {
                ids.put(name, id);
            } else {
                missing.add(name);
            }
        }
        return missing;
    }

    private void load(long projectId, List<String> names, Map<String, Long> ids) {
        if (cache.size() > MAX_CACHED) {
            cache.clear();
        }
        Map<CacheKey, Long> found = new HashMap<>();
        for (int from = 0; from < names.size(); from += 1000) {
            List<String> chunk = names.subList(from, Math.min(names.size(), from + 1000));
            jdbc.sql("SELECT id, name FROM metric_keys WHERE project_id = :p AND name IN (:names)")
                    .param("p", projectId).param("names", chunk)
                    .query(rs -> {
                        long id = rs.getLong("id");
                        String name = rs.getString("name");
                        ids.put(name, id);
                        found.put(new CacheKey(projectId, name), id);
                    });
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // ids read in a transaction may be of keys it created: cached only if they become real
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    cache.putAll(found);
                }
            });
        } else {
            cache.putAll(found);
        }
    }
}
