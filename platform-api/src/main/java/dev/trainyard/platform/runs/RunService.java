package dev.trainyard.platform.runs;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.auth.Tokens;
import dev.trainyard.platform.datasets.DatasetRepository;
import dev.trainyard.platform.events.RunStatusChanged;
import dev.trainyard.platform.experiments.ExperimentRepository;
import dev.trainyard.platform.projects.ProjectAccess;
import dev.trainyard.platform.projects.ProjectRole;
import dev.trainyard.platform.runs.RunRecords.CloneRunRequest;
import dev.trainyard.platform.runs.RunRecords.ResourceRequest;
import dev.trainyard.platform.runs.RunRecords.RunResponse;
import dev.trainyard.platform.runs.RunRecords.RunSummary;
import dev.trainyard.platform.runs.RunRecords.SubmitRunRequest;
import dev.trainyard.platform.scheduling.RunLifecycle;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import dev.trainyard.platform.web.TextRules;
import dev.trainyard.platform.web.ItemList;
import dev.trainyard.platform.web.Times;
import dev.trainyard.spec.Format;
import dev.trainyard.spec.RunSpec;
import dev.trainyard.spec.RunSpecs;
import dev.trainyard.spec.SpecProblem;
import dev.trainyard.spec.SpecValidator;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Submitting, reading, listing and changing runs. Every method checks the caller's project role first:
 * viewers read, editors submit and change runs.
 *
 * <p>Submissions with an {@code Idempotency-Key} are deduplicated by the unique index on (project_id,
 * idempotency_key): the first insert wins; a concurrent or later one with the same key fails on the index, and
 * the service answers with the run that won, provided the request was the same (else 409). That is why
 * {@link #submit} manages its own transactions instead of being {@code @Transactional}: the losing insert's
 * transaction is rolled back and the winner is read in a new one.
 *
 * <p>Status changes (a submission is one, from nothing to QUEUED; cancel; retry) go through the scheduler's
 * {@link RunLifecycle}, which publishes a {@link RunStatusChanged} inside the transaction.
 */
@Service
public class RunService {

    static final int MAX_KEY_LENGTH = 255;
    private static final Pattern PARAM_NAME = Pattern.compile(RunQuery.NAME);
    private static final int MAX_PARAM_TEXT = 1000;

    private final RunRepository runs;
    private final RunDetailsRepository details;
    private final RunSearchRepository search;
    private final ExperimentRepository experiments;
    private final ProjectAccess access;
    private final JsonMapper json;
    private final TransactionTemplate tx;
    private final TransactionTemplate readTx;
    private final TransactionTemplate listTx;
    private final ApplicationEventPublisher events;
    private final DatasetRepository datasets;
    private final RunLifecycle lifecycle;
    private final RunResponses responses;

    public RunService(RunRepository runs, RunDetailsRepository details, RunSearchRepository search,
            ExperimentRepository experiments, ProjectAccess access, JsonMapper json,
            PlatformTransactionManager transactions, ApplicationEventPublisher events, DatasetRepository datasets,
            RunLifecycle lifecycle, RunResponses responses) {
        this.runs = runs;
        this.details = details;
        this.search = search;
        this.experiments = experiments;
        this.access = access;
        this.json = json;
        this.tx = new TransactionTemplate(transactions);
        this.readTx = new TransactionTemplate(transactions);
        this.readTx.setReadOnly(true);
        this.listTx = new TransactionTemplate(transactions);
        this.listTx.setReadOnly(true);
        this.listTx.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.events = events;
        this.datasets = datasets;
        this.lifecycle = lifecycle;
        this.responses = responses;
    }

    /** The run, and whether this call created it (false: an earlier submission with the same key did). */
    public record Submitted(RunResponse run, boolean created) {}

    public Submitted submit(Caller caller, long projectId, SubmitRunRequest request, String idempotencyKey) {
        access.require(caller, projectId, ProjectRole.EDITOR);
        String hash = idempotencyKey == null ? null : requestHash("submit", request);
        return submitChecked(caller, projectId, request, idempotencyKey, hash, null);
    }

    public Submitted cloneRun(Caller caller, long projectId, long runId, CloneRunRequest request,
            String idempotencyKey) {
        access.require(caller, projectId, ProjectRole.EDITOR);
        String hash = idempotencyKey == null ? null : requestHash("clone " + runId, request);
        if (idempotencyKey != null) {
            Submitted replay = replay(projectId, checkKey(idempotencyKey), hash);
            if (replay != null) {
                return replay;
            }
        }
        SubmitRunRequest merged = readTx.execute(status -> mergeClone(find(projectId, runId), request));
        return submitChecked(caller, projectId, merged, idempotencyKey, hash, runId);
    }

    private Submitted submitChecked(Caller caller, long projectId, SubmitRunRequest request, String key, String hash,
            Long clonedFrom) {
        if (key != null) {
            Submitted replay = replay(projectId, checkKey(key), hash);
            if (replay != null) {
                return replay;
            }
        }
        Map<String, JsonNode> params = request.params() == null ? Map.of() : request.params();
        List<String> tags = request.tags() == null ? List.of() : request.tags();
        long id;
        try {
            id = tx.execute(status -> {
                // validated in the transaction that inserts the run: the dataset its spec names stays locked until
                // commit, so a concurrent deletion of the dataset waits and then sees this run (DatasetRepository)
                Run run = validate(caller, projectId, request, key, hash, clonedFrom);
                Run saved = runs.saveAndFlush(run);
                details.insertParams(saved.getId(), projectId,
                        SpecParams.withUserParams(json.readTree(saved.getSpec()), params));
                details.insertTags(saved.getId(), projectId, tags);
                lifecycle.submitted(projectId, saved.getExperimentId(), saved.getId(), saved.getCreatedAt());
                return saved.getId();
            });
        } catch (DataIntegrityViolationException e) {
            if (key != null) {
                Submitted replay = replay(projectId, key, hash);
                if (replay != null) {
                    return replay; // a concurrent submission with the same key won the unique index
                }
            }
            throw e;
        }
        return new Submitted(load(projectId, id), true);
    }

    /** The run an earlier submission with this key created, or null; 409 if that submission was different. */
    private Submitted replay(long projectId, String key, String hash) {
        return readTx.execute(status -> runs.findByProjectIdAndIdempotencyKey(projectId, key)
                .map(existing -> {
                    if (!hash.equals(existing.getIdempotencyHash())) {
                        throw ApiException.conflict("Idempotency-Key '" + key + "' was already used for a different "
                                + "request (run " + existing.getId() + "); use a new key for a new run");
                    }
                    return new Submitted(view(existing), false);
                })
                .orElse(null));
    }

    private static String checkKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiException.badRequest(FieldProblem.atParameter("Idempotency-Key",
                    "must be 1 to 255 visible ASCII characters", key));
        }
        return key;
    }

    /** Checks everything a Bean Validation annotation cannot, reporting all problems at once, and builds the run. */
    private Run validate(Caller caller, long projectId, SubmitRunRequest r, String key, String hash,
            Long clonedFrom) {
        List<FieldProblem> problems = new ArrayList<>();
        String spec = submittedSpec(r.spec(), projectId, clonedFrom, problems);
        if (r.params() != null) {
            r.params().forEach((name, value) -> {
                String pointer = "/params/" + FieldProblem.escape(name);
                if (!PARAM_NAME.matcher(name).matches()) {
                    problems.add(FieldProblem.atPointer(pointer,
                            "parameter names are 1 to 200 letters, digits, '_', '.', ':', '/' or '-'", name));
                } else if (value == null || !(value.isNumber() || value.isString() || value.isBoolean())) {
                    problems.add(FieldProblem.atPointer(pointer,
                            "a parameter is a number, a string or a boolean (params are flat)", value));
                } else if (value.isString() && value.stringValue().length() > MAX_PARAM_TEXT) {
                    problems.add(FieldProblem.atPointer(pointer, "at most " + MAX_PARAM_TEXT + " characters", null));
                } else if (value.isString() && TextRules.firstControl(value.stringValue(), false) >= 0) {
                    problems.add(FieldProblem.atPointer(pointer, "must not contain control characters (such as NUL, "
                            + "tab or a line break); found " + TextRules.describe(value.stringValue(),
                            TextRules.firstControl(value.stringValue(), false)), null));
                } else if (value.isNumber() && !Double.isFinite(value.asDouble())) {
                    problems.add(FieldProblem.atPointer(pointer, "must be a finite number", value));
                }
            });
        }
        if (r.experimentId() != null
                && experiments.findByIdAndProjectId(r.experimentId(), projectId).isEmpty()) {
            problems.add(FieldProblem.atPointer("/experimentId",
                    "no experiment " + r.experimentId() + " in project " + projectId, r.experimentId()));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        ResourceRequest res = r.resources();
        String name = r.name() != null ? r.name()
                : "run-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        NewRun.Demand demand = new NewRun.Demand(
                res == null || res.cpus() == null ? 1 : res.cpus(),
                res == null || res.gpus() == null ? 0 : res.gpus(),
                res == null || res.memoryMb() == null ? 1024 : res.memoryMb(),
                json.writeValueAsString(res == null || res.labels() == null ? Map.of() : new TreeMap<>(res.labels())));
        return new Run(new NewRun(projectId, r.experimentId(), name, spec, r.notes(),
                r.priority() == null ? 0 : r.priority(), demand, r.maxAttempts() == null ? 1 : r.maxAttempts(),
                caller.userId(), clonedFrom, key == null ? null : new NewRun.Idempotency(key, hash)), Times.now());
    }

    /**
     * Checks the spec with the spec module (the worker parses it the same way) and returns it normalised, every
     * default written out ({@link RunSpecs#toJson}), so a run shows exactly what it runs with; null when it has
     * problems, which are added with pointers under {@code /spec}. The spec is a JSON object, or a string holding
     * the spec as YAML (or JSON) text. A dataset artifact must be one of the project's; its row is locked until
     * the transaction ends. For a clone ({@code clonedFrom}), a clash of mutually exclusive fields says how to drop
     * the one the source run had.
     */
    private String submittedSpec(JsonNode submitted, long projectId, Long clonedFrom, List<FieldProblem> problems) {
        String text = submitted == null || submitted.isNull() ? null
                : submitted.isString() ? submitted.stringValue() : json.writeValueAsString(submitted);
        Format format = submitted != null && submitted.isString() ? Format.AUTO : Format.JSON;
        List<SpecProblem> specProblems = SpecValidator.validate(text, format);
        for (SpecProblem p : specProblems) {
            String message = p.message();
            if (clonedFrom != null && message.contains("mutually exclusive")) {
                message += "; a clone's spec is merged into run " + clonedFrom + "'s (JSON merge patch, RFC 7386), "
                        + "so to replace a field that run has, also send that field as null";
            }
            problems.add(FieldProblem.atPointer("/spec" + p.pointer(), message, p.rejectedValue()));
        }
        if (!specProblems.isEmpty()) {
            return null;
        }
        RunSpec spec = RunSpecs.parse(text, format);
        String artifact = spec.dataset().artifact();
        if (artifact != null && !datasets.lockToUse(projectId, artifact.substring("sha256:".length()))) {
            problems.add(FieldProblem.atPointer("/spec/dataset/artifact", "project " + projectId + " has no dataset "
                    + artifact + "; upload it with POST /api/v1/projects/" + projectId + "/datasets first", artifact));
        }
        return RunSpecs.toJson(spec);
    }

    /** The clone's submission: the source run with the request's changes applied. */
    private SubmitRunRequest mergeClone(Run source, CloneRunRequest c) {
        long id = source.getId();
        JsonNode spec = json.readTree(source.getSpec());
        if (c.spec() != null) {
            spec = mergePatch(spec, c.spec());
        }
        Map<String, JsonNode> params = new LinkedHashMap<>(SpecParams.userGiven(
                details.params(List.of(id)).getOrDefault(id, Map.of()), json.readTree(source.getSpec())));
        if (c.params() != null) {
            c.params().forEach((name, value) -> {
                if (value == null || value.isNull()) {
                    params.remove(name);
                } else {
                    params.put(name, value);
                }
            });
        }
        List<String> tags = c.tags() != null ? c.tags() : details.tags(List.of(id)).getOrDefault(id, List.of());
        ResourceRequest r = c.resources() == null ? new ResourceRequest(null, null, null, null) : c.resources();
        ResourceRequest resources = new ResourceRequest(
                r.cpus() != null ? r.cpus() : source.getCpus(),
                r.gpus() != null ? r.gpus() : source.getGpus(),
                r.memoryMb() != null ? r.memoryMb() : source.getMemoryMb(),
                r.labels() != null ? r.labels() : responses.labels(source));
        return new SubmitRunRequest(
                c.name() != null ? c.name() : source.getName(),
                c.experimentId() != null ? c.experimentId() : source.getExperimentId(),
                spec, params, tags,
                c.notes() != null ? c.notes() : source.getNotes(),
                c.priority() != null ? c.priority() : source.getPriority(),
                resources,
                c.maxAttempts() != null ? c.maxAttempts() : source.getMaxAttempts());
    }

    /** RFC 7396 JSON merge patch. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }

    public RunResponse get(Caller caller, long projectId, long runId) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        return load(projectId, runId);
    }

    public ItemList<RunSummary> list(Caller caller, long projectId, Map<String, String[]> parameters) {
        RunQuery query = RunQuery.parse(projectId, parameters);
        access.require(caller, projectId, ProjectRole.VIEWER);
        // One snapshot for the page: sorted by a metric or a parameter, a page may read several parts of the list
        // (its numbers, a parameter's texts, the runs without it), a statement each; a later one must not see a run
        // that gained the metric after an earlier one ran (it would be on neither side).
        // H2's REPEATABLE READ takes a table's snapshot when the transaction first reads it; the later statements
        // read only tables the first one did.
        return listTx.execute(status -> {
            List<RunSearchRepository.Row> rows = search.search(query);
            String next = null;
            if (rows.size() > query.limit()) {
                rows = rows.subList(0, query.limit());
                RunSearchRepository.Row last = rows.getLast();
                next = RunQuery.encodeCursor(query.sort(), last.sortValue(), last.id());
            }
            List<Long> ids = rows.stream().map(RunSearchRepository.Row::id).toList();
            var params = details.params(ids);
            var tags = details.tags(ids);
            var metrics = details.metrics(ids);
            var users = details.usernames(rows.stream().map(RunSearchRepository.Row::createdBy).collect(Collectors.toSet()));
            List<RunSummary> items = rows.stream().map(row -> new RunSummary(row.id(), row.projectId(),
                    row.experimentId(), row.name(), row.status(), params.getOrDefault(row.id(), Map.of()),
                    tags.getOrDefault(row.id(), List.of()), row.priority(), row.attempt(), row.retries(),
                    row.createdAt(), row.startedAt(), row.finishedAt(), users.get(row.createdBy()),
                    metrics.getOrDefault(row.id(), Map.of()))).toList();
            return new ItemList<>(items, next);
        });
    }

    /** Cancels a queued or running run (see {@link RunLifecycle#cancel}). */
    public RunResponse cancel(Caller caller, long projectId, long runId) {
        access.require(caller, projectId, ProjectRole.EDITOR);
        tx.executeWithoutResult(status -> {
            find(projectId, runId);
            lifecycle.cancel(runId, caller.username(), Times.now());
        });
        return load(projectId, runId);
    }

    /** Puts a failed or cancelled run back in the queue; its next claim is a new attempt. */
    public RunResponse retry(Caller caller, long projectId, long runId) {
        access.require(caller, projectId, ProjectRole.EDITOR);
        tx.executeWithoutResult(status -> {
            Run run = find(projectId, runId);
            if (run.getStatus() == RunStatus.FAILED || run.getStatus() == RunStatus.CANCELLED) {
                requireDataset(run);
            }
            lifecycle.retry(runId, Times.now());
        });
        return load(projectId, runId);
    }

    /**
     * Deletes a run that is not running, with its parameters, tags, metric summaries and attempts; {@link RunDeleting}
     * lets features with data outside the database (checkpoint artifacts) schedule its deletion in this transaction.
     */
    public void delete(Caller caller, long projectId, long runId) {
        access.require(caller, projectId, ProjectRole.EDITOR);
        tx.executeWithoutResult(status -> {
            Run run = find(projectId, runId);
            if (run.getStatus() == RunStatus.RUNNING) {
                throw ApiException.conflict("run " + runId + " is RUNNING; cancel it before deleting it");
            }
            events.publishEvent(new RunDeleting(projectId, runId));
            runs.delete(run);
            runs.flush();
        });
    }

    /**
     * Locks the dataset the run's spec names, as a submission does, so that the re-queued run cannot lose it to a
     * concurrent deletion; 409 when the project no longer has it.
     */
    private void requireDataset(Run run) {
        JsonNode artifact = json.readTree(run.getSpec()).path("dataset").path("artifact");
        if (!artifact.isString()) {
            return;
        }
        String digest = artifact.stringValue();
        long projectId = run.getProjectId();
        if (!datasets.lockToUse(projectId, digest.substring("sha256:".length()))) {
            throw ApiException.conflict("run " + run.getId() + " names dataset " + digest + ", which project "
                    + projectId + " no longer has; upload the same file again (POST /api/v1/projects/" + projectId
                    + "/datasets, the digest stays the same) before retrying, or clone the run naming another dataset");
        }
    }

    private Run find(long projectId, long runId) {
        return runs.findByIdAndProjectId(runId, projectId)
                .orElseThrow(() -> ApiException.notFound("no run " + runId + " in project " + projectId));
    }

    private RunResponse load(long projectId, long runId) {
        return readTx.execute(status -> view(find(projectId, runId)));
    }

    private RunResponse view(Run run) {
        return responses.of(run);
    }

    /** SHA-256 of the request as canonical JSON (object keys sorted), to recognise a retry of the same request. */
    private String requestHash(String kind, Object request) {
        return Tokens.sha256(kind + "\n" + json.writeValueAsString(SpecParams.canonical(json.valueToTree(request))));
    }
}
