package dev.trainyard.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.metrics.MetricQueries.SeriesId;
import dev.trainyard.platform.metrics.MetricRecords.Bucket;
import dev.trainyard.platform.projects.ProjectQuotas;
import dev.trainyard.platform.projects.QuotaProperties;
import dev.trainyard.platform.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.unit.DataSize;

/**
 * The two writers agree: the same batches (out of order, retried, with NaN and infinities) written by
 * {@link PostgresMetricWriter} and by {@link PortableMetricWriter} leave identical rollups and summaries on
 * PostgreSQL; and on H2 (the standalone profile) the portable writer and the query SQL give exact buckets.
 */
class MetricWritersTest extends IntegrationTest {

    @Autowired
    private JdbcTemplate template;

    @Autowired
    private PlatformTransactionManager transactions;

    @Autowired
    private MetricKeys keys;

    /** Batches of random points over three keys: shuffled, overlapping, with NaN and infinities. */
    static List<MetricBatch> batches(long seed) {
        Random random = new Random(seed);
        List<String> names = List.of("loss", "acc", "lr");
        List<MetricBatch> out = new ArrayList<>();
        for (int b = 0; b < 12; b++) {
            int n = 1 + random.nextInt(3_000);
            List<String> k = new ArrayList<>();
            long[] steps = new long[n];
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                k.add(names.get(random.nextInt(3)));
                steps[i] = random.nextInt(40_000) + (b % 3 == 0 ? 5_000_000L : 0);
                int r = random.nextInt(500);
                values[i] = r == 0 ? Double.NaN : r == 1 ? Double.POSITIVE_INFINITY : r == 2 ? Double.NEGATIVE_INFINITY
                        : random.nextGaussian();
            }
            out.add(MetricBatch.of(k, steps, values));
        }
        out.add(out.get(4)); // a retry
        return out;
    }

    @Test
    void bothWritersLeaveTheSameRollupsAndSummaries() {
        TestUser alice = newUser("alice");
        long project = newProject(alice);
        long viaSql = submitRun(project, alice, runBody()).get("id").longValue();
        long viaJava = submitRun(project, alice, runBody()).get("id").longValue();
        MetricWriter postgres = new PostgresMetricWriter(template, transactions);
        MetricWriter portable = new PortableMetricWriter(template, transactions);
        for (MetricBatch batch : batches(7)) {
            Map<String, Long> ids = keys.intern(project, batch.keyNames());
            SortedPoints points = SortedPoints.of(batch, ids, 1_700_000_000_000_000L);
            MetricWriter.Written a = postgres.write(project, viaSql, points, null);
            MetricWriter.Written b = portable.write(project, viaJava, points, null);
            assertThat(b.inserted()).isEqualTo(a.inserted());
            assertThat(b.keys()).containsExactlyInAnyOrderElementsOf(a.keys());
        }
        String rollups = "SELECT key_id, bucket_width, bucket_start, first_step, last_step, point_count, nan_count,"
                + " min_value, max_value, last_value FROM metric_rollups WHERE run_id = ?"
                + " ORDER BY key_id, bucket_width, bucket_start";
        List<Map<String, Object>> sql = template.queryForList(rollups, viaSql);
        assertThat(sql).hasSizeGreaterThan(1_000);
        assertThat(template.queryForList(rollups, viaJava)).isEqualTo(sql);
        String summaries = "SELECT name, last_value, last_step, min_value, max_value FROM run_metric_summaries"
                + " WHERE run_id = ? ORDER BY name";
        assertThat(template.queryForList(summaries, viaJava)).isEqualTo(template.queryForList(summaries, viaSql));
        String points = "SELECT key_id, step, num_value, wall_time FROM metric_points WHERE run_id = ? ORDER BY key_id, step";
        assertThat(template.queryForList(points, viaJava)).isEqualTo(template.queryForList(points, viaSql));
    }

    @Test
    void onH2ThePortableWriterAndTheQueriesGiveExactBuckets() {
        // one connection throughout: H2 2.4.240 breaks CHECK (x IN (...)) constraints once the session that
        // created them is closed ("Check constraint invalid" on every insert)
        SingleConnectionDataSource ds = new SingleConnectionDataSource("jdbc:h2:mem:metrics-" + System.nanoTime()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "",
                true);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/common", "classpath:db/migration/h2")
                .load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.update("INSERT INTO users (id, username) VALUES (1, 'u')");
        jdbc.update("INSERT INTO projects (id, name, created_by) VALUES (1, 'p', 1)");
        jdbc.update("INSERT INTO runs (id, project_id, name, spec, status, labels, created_by)"
                + " VALUES (1, 1, 'r', '{}', 'RUNNING', '{}', 1)");
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(ds);
        MetricKeys h2Keys = new MetricKeys(JdbcClient.create(ds), jdbc, new ProjectQuotas(JdbcClient.create(ds),
                new QuotaProperties(100_000, DataSize.ofGigabytes(1)), null), transactions);
        MetricWriter writer = new PortableMetricWriter(jdbc, transactions);
        Map<String, NavigableMap<Long, Double>> sent = new HashMap<>();
        for (MetricBatch batch : batches(11)) {
            SortedPoints points = SortedPoints.of(batch, h2Keys.intern(1, batch.keyNames()), 1_700_000_000_000_000L);
            writer.write(1, 1, points, null);
            for (int i = 0; i < batch.size(); i++) {
                sent.computeIfAbsent(batch.keyNames().get(batch.key(i)), k -> new TreeMap<>())
                        .putIfAbsent(batch.step(i), batch.value(i));
            }
        }
        MetricQueries queries = new MetricQueries(JdbcClient.create(ds));
        Map<String, Long> ids = h2Keys.resolve(1, List.of("loss", "acc", "lr"));
        long[] extent = queries.extent(List.of(1L), ids.values());
        assertThat(extent[0]).isEqualTo(sent.values().stream().mapToLong(NavigableMap::firstKey).min().orElseThrow());
        for (long[] range : new long[][] {{extent[0], extent[1]}, {1_234, 31_999}, {5_000_100, 5_000_200}}) {
            for (int n : new int[] {1_000, 40, 3}) {
                long width = Math.ceilDiv(range[1] - range[0] + 1, n);
                Map<SeriesId, List<Bucket>> buckets = queries.buckets(List.of(1L), ids.values(), range[0], range[1],
                        width, Rollups.levelFor(width));
                for (Map.Entry<String, Long> key : ids.entrySet()) {
                    check(buckets.getOrDefault(new SeriesId(1, key.getValue()), List.of()),
                            sent.get(key.getKey()).subMap(range[0], true, range[1], true), n,
                            key.getKey() + " " + range[0] + ".." + range[1] + " n=" + n);
                }
            }
        }
        List<Map<String, Object>> summary = jdbc.queryForList("SELECT name, last_step, last_value FROM"
                + " run_metric_summaries WHERE run_id = 1 ORDER BY name");
        assertThat(summary).hasSize(3);
        ds.destroy();
        for (Map<String, Object> s : summary) {
            NavigableMap<Long, Double> points = sent.get((String) s.get("name"));
            assertThat(((Number) s.get("last_step")).longValue()).isEqualTo(points.lastKey());
        }
    }

    private static void check(List<Bucket> buckets, NavigableMap<Long, Double> points, int n, String where) {
        assertThat(buckets.size()).as(where).isLessThanOrEqualTo(n);
        long total = 0;
        long previousEnd = Long.MIN_VALUE;
        for (Bucket b : buckets) {
            NavigableMap<Long, Double> in = points.subMap(b.stepStart(), true, b.stepEnd(), true);
            List<Double> finite = new ArrayList<>(in.values().stream().filter(d -> !Double.isNaN(d)).toList());
            Collections.sort(finite);
            String at = where + " [" + b.stepStart() + ", " + b.stepEnd() + "]";
            assertThat(b.stepStart()).as(at).isGreaterThan(previousEnd);
            assertThat(b.count()).as(at).isEqualTo(in.size());
            assertThat(b.nanCount()).as(at).isEqualTo(in.size() - finite.size());
            assertThat(Double.valueOf(b.min())).as(at).isEqualTo(finite.isEmpty() ? Double.valueOf(Double.NaN) : finite.getFirst());
            assertThat(Double.valueOf(b.max())).as(at).isEqualTo(finite.isEmpty() ? Double.valueOf(Double.NaN) : finite.getLast());
            assertThat(Double.valueOf(b.last())).as(at).isEqualTo(in.lastEntry().getValue());
            total += b.count();
            previousEnd = b.stepEnd();
        }
        assertThat(total).as(where).isEqualTo(points.size());
    }
}
