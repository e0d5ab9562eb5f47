package dev.trainyard.platform.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.datasets.DatasetRepository;
import dev.trainyard.platform.experiments.ExperimentRepository;
import dev.trainyard.platform.projects.ProjectAccess;
import dev.trainyard.platform.scheduling.RunLifecycle;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the run list tests share: alice's project with its runs numbered from 1 in the order they were seeded, their
 * ids as the list gives them, and a {@link RunService} whose list statements a test can watch.
 */
abstract class RunListTesting extends IntegrationTest {

    @Autowired
    private ApplicationContext context;

    protected TestUser alice;
    protected long project;
    /** The project's run list path. */
    protected String runs;
    private final List<Long> seeded = new ArrayList<>();

    @BeforeEach
    void aliceAndHerProject() {
        alice = newUser("alice");
        project = newProject(alice);
        runs = "/api/v1/projects/" + project + "/runs";
    }

    /** Submits the next numbered run and sets its status; returns its id. */
    protected long seedRun(Map<String, Object> body, String status) {
        long id = submitRun(project, alice, body).get("id").longValue();
        jdbc.sql("UPDATE runs SET status = ? WHERE id = ?").param(status).param(id).update();
        seeded.add(id);
        return id;
    }

    /** The id of the seeded run {@code number}. */
    protected long id(int number) {
        return seeded.get(number - 1);
    }

    protected List<Long> runs(int... numbers) {
        List<Long> out = new ArrayList<>();
        for (int n : numbers) {
            out.add(id(n));
        }
        return out;
    }

    /** The ids of the first page of the run list with this query string ("" or starting with '?'). */
    protected List<Long> ids(String query) {
        Api.Response response = api.get(runs + query, alice.token());
        assertThat(response.status()).as(query + " -> " + response).isEqualTo(200);
        List<Long> out = new ArrayList<>();
        response.json().get("items").forEach(item -> out.add(item.get("id").longValue()));
        return out;
    }

    /** Every page of a query, {@code limit} runs a page, following nextCursor. */
    protected List<Long> walk(String query, int limit) {
        List<Long> walked = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get(runs + query + "&limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor),
                    alice.token());
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            JsonNode items = page.json().get("items");
            assertThat(items.size()).as(query + " limit " + limit + " page after " + walked).isLessThanOrEqualTo(limit);
            items.forEach(item -> walked.add(item.get("id").longValue()));
            JsonNode next = page.json().get("nextCursor");
            cursor = next.isNull() ? null : next.stringValue();
        } while (cursor != null && walked.size() < 100);
        return walked;
    }

    protected Caller aliceAsAdmin() {
        return new Caller(alice.id(), alice.username(), false, 0, Scope.ADMIN);
    }

    /**
     * A RunService as the application's, but its run list statements go through a JdbcTemplate that calls
     * {@code afterStatement} with each statement's number (1, 2, ...) once it has run.
     */
    protected RunService runService(IntConsumer afterStatement) {
        JdbcTemplate watched = new JdbcTemplate(context.getBean(DataSource.class)) {
            private int statements;

            @Override
            public <T> T query(PreparedStatementCreator creator, PreparedStatementSetter setter,
                    ResultSetExtractor<T> extractor) {
                T result = super.query(creator, setter, extractor);
                afterStatement.accept(++statements);
                return result;
            }
        };
        return new RunService(context.getBean(RunRepository.class), context.getBean(RunDetailsRepository.class),
                new RunSearchRepository(watched), context.getBean(ExperimentRepository.class),
                context.getBean(ProjectAccess.class), context.getBean(JsonMapper.class),
                context.getBean(PlatformTransactionManager.class), context, context.getBean(DatasetRepository.class),
                context.getBean(RunLifecycle.class), context.getBean(RunResponses.class));
    }
}
