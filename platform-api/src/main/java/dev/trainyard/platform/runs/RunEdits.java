package dev.trainyard.platform.runs;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.projects.ProjectAccess;
import dev.trainyard.platform.projects.ProjectRole;
import dev.trainyard.platform.runs.RunRecords.RunResponse;
import dev.trainyard.platform.scheduling.Sql;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import dev.trainyard.platform.web.Times;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Changes a run's name, tags and notes with a JSON merge patch (RFC 7396): a field left out stays, {@code null}
 * clears notes or tags (a name cannot be cleared). Any status may be edited. The edit bumps the run's version, so a
 * cancel or retry that read the run before fails with 409 instead of writing the old name back.
 */
@Service
public class RunEdits {

    private static final Set<String> FIELDS = Set.of("name", "tags", "notes");
    private static final Pattern TAG = Pattern.compile(RunRecords.TAG);
    static final int MAX_NAME = 200;
    static final int MAX_NOTES = 10_000;
    static final int MAX_TAGS = 50;

    private final JdbcClient jdbc;
    private final RunDetailsRepository details;
    private final ProjectAccess access;
    private final RunService runs;
    private final TransactionTemplate tx;

    public RunEdits(JdbcClient jdbc, RunDetailsRepository details, ProjectAccess access, RunService runs,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.details = details;
        this.access = access;
        this.runs = runs;
        this.tx = new TransactionTemplate(transactions);
    }

    private record Edit(boolean hasName, String name, boolean hasTags, List<String> tags, boolean hasNotes,
            String notes) {}

    public RunResponse patch(Caller caller, long projectId, long runId, JsonNode patch) {
        access.require(caller, projectId, ProjectRole.EDITOR);
        Edit edit = parse(patch);
        tx.executeWithoutResult(status -> {
            int updated = jdbc.sql("UPDATE runs SET name = CASE WHEN :setName THEN :name ELSE name END,"
                            + " notes = CASE WHEN :setNotes THEN :notes ELSE notes END,"
                            + " updated_at = :now, version = version + 1 WHERE id = :id AND project_id = :p")
                    .param("setName", edit.hasName()).param("name", edit.hasName() ? edit.name() : "")
                    .param("setNotes", edit.hasNotes()).param("notes", edit.notes())
                    .param("now", Sql.ts(Times.now())).param("id", runId).param("p", projectId)
                    .update();
            if (updated == 0) {
                throw ApiException.notFound("no run " + runId + " in project " + projectId);
            }
            if (edit.hasTags()) {
                jdbc.sql("DELETE FROM run_tags WHERE run_id = :id").param("id", runId).update();
                details.insertTags(runId, projectId, edit.tags());
            }
        });
        return runs.get(caller, projectId, runId);
    }

    /** Checks the whole patch, reporting every problem at once. */
    private static Edit parse(JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw ApiException.badRequest(FieldProblem.atPointer("", "the body must be a JSON object with any of "
                    + "name, tags and notes (a JSON merge patch)", patch == null ? null : patch.getNodeType().name()));
        }
        List<FieldProblem> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (!FIELDS.contains(e.getKey())) {
                problems.add(FieldProblem.atPointer("/" + FieldProblem.escape(e.getKey()),
                        "unknown field '" + e.getKey() + "'; a run's name, tags and notes can be changed", null));
            }
        }
        JsonNode name = patch.get("name");
        if (name != null && !(name.isString() && !name.stringValue().isBlank()
                && name.stringValue().length() <= MAX_NAME)) {
            problems.add(FieldProblem.atPointer("/name", "must be a string of 1 to " + MAX_NAME
                    + " characters, not blank (a run always has a name)", name));
        }
        JsonNode notes = patch.get("notes");
        if (notes != null && !notes.isNull() && !(notes.isString() && notes.stringValue().length() <= MAX_NOTES)) {
            problems.add(FieldProblem.atPointer("/notes", "must be a string of at most " + MAX_NOTES
                    + " characters, or null to clear the notes", notes.isString() ? null : notes));
        }
        JsonNode tags = patch.get("tags");
        List<String> tagList = new ArrayList<>();
        if (tags != null && !tags.isNull()) {
            if (!tags.isArray() || tags.size() > MAX_TAGS) {
                problems.add(FieldProblem.atPointer("/tags", "must be an array of at most " + MAX_TAGS
                        + " tags, or null to remove them all", tags.isArray() ? tags.size() + " tags" : tags));
            } else {
                for (int i = 0; i < tags.size(); i++) {
                    JsonNode tag = tags.get(i);
                    if (!tag.isString() || !TAG.matcher(tag.stringValue()).matches()) {
                        problems.add(FieldProblem.atPointer("/tags/" + i, RunRecords.TAG_MESSAGE, tag));
                    } else {
                        tagList.add(tag.stringValue());
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            FieldProblem first = problems.getFirst();
            String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "";
            throw ApiException.badRequest(first.pointer() + ": " + first.detail() + more, problems);
        }
        return new Edit(name != null, name == null ? null : name.stringValue(), tags != null, tagList,
                notes != null, notes == null || notes.isNull() ? null : notes.stringValue());
    }
}
