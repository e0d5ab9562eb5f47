package dev.trainyard.platform.datasets;

import dev.trainyard.platform.artifacts.ArtifactDeletions;
import dev.trainyard.platform.artifacts.ArtifactDownloads;
import dev.trainyard.platform.artifacts.ArtifactKey;
import dev.trainyard.platform.artifacts.ArtifactUploads;
import dev.trainyard.platform.artifacts.ArtifactStoreProperties;
import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.datasets.DatasetRepository.ActiveRun;
import dev.trainyard.platform.datasets.DatasetRepository.Dataset;
import dev.trainyard.platform.datasets.DatasetRepository.RunDataset;
import dev.trainyard.platform.projects.ProjectAccess;
import dev.trainyard.platform.projects.ProjectQuotas;
import dev.trainyard.platform.projects.ProjectRole;
import dev.trainyard.platform.scheduling.LeaseGuard;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import dev.trainyard.platform.web.Times;
import dev.trainyard.platform.workers.WorkerPrincipal;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A project's dataset artifacts: files that run specs name by digest ({@code dataset: {artifact: "sha256:<hex>"}})
 * and workers download. The platform does not look inside them.
 *
 * <p>Uploads stream as checkpoint uploads do: through a SHA-256 digest into the {@link ArtifactStore} under a key the
 * server makes up, with an outbox row ({@link ArtifactDeletions}) recorded first that deletes the bytes unless the
 * transaction recording the dataset removes it. Content-addressed: when the project already has these bytes, the
 * new copy is dropped and the existing dataset answered (also when a concurrent upload of the same bytes wins).
 *
 * <p>A dataset that queued or running runs name cannot be deleted, and a worker downloads only the dataset of the
 * run it holds.
 */
@Service
public class DatasetService {

    static final String SHA256_HEADER = "X-Content-Sha256";
    private static final Logger log = LoggerFactory.getLogger(DatasetService.class);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern FILENAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final int MAX_NAME = 200;
    /** How many of the runs that keep a dataset from being deleted the 409 names. */
    private static final int MAX_RUNS_NAMED = 5;

    private static final ArtifactUploads.Kind KIND = new ArtifactUploads.Kind("the dataset",
            "trainyard.datasets.max-size", SHA256_HEADER);

    private final DatasetRepository datasets;
    private final ArtifactUploads uploads;
    private final ArtifactDeletions deletions;
    private final ProjectAccess access;
    private final ProjectQuotas quotas;
    private final LeaseGuard leases;
    private final ArtifactStoreProperties artifacts;
    private final TransactionTemplate tx;
    private final TransactionTemplate readTx;

    DatasetService(DatasetRepository datasets, ArtifactUploads uploads, ArtifactDeletions deletions, ProjectAccess access,
            LeaseGuard leases, ArtifactStoreProperties artifacts, ProjectQuotas quotas,
            PlatformTransactionManager transactions) {
        this.datasets = datasets;
        this.quotas = quotas;
        this.uploads = uploads;
        this.deletions = deletions;
        this.access = access;
        this.leases = leases;
        this.artifacts = artifacts;
        this.tx = new TransactionTemplate(transactions);
        this.readTx = new TransactionTemplate(transactions);
        this.readTx.setReadOnly(true);
    }

    /** The dataset, and whether this upload created it (false: the project already had these bytes). */
    record Uploaded(DatasetResponse dataset, boolean created) {}

    /**
     * Streams {@code body} to the store and records it as a dataset of the project, after checking the caller
     * (editor), the name and the declared SHA-256 ({@code declaredSha256}, optional: when given, a mismatch is 422
     * and nothing is stored).
     */
    Uploaded upload(Caller caller, long projectId, String name, String declaredSha256, InputStream body,
            long contentLength) {
        String expected = checkUpload(name, declaredSha256);
        access.require(caller, projectId, ProjectRole.EDITOR);
        ArtifactKey key = ArtifactKey.of("projects", projectId, "datasets", UUID.randomUUID().toString().replace("-",
                ""));
        ArtifactUploads.Staged staged = uploads.stage(KIND, key, "upload of a dataset of project " + projectId, body,
                contentLength, expected);
        long intent = staged.intent();
        long size = staged.size();
        String actual = staged.sha256();
        try {
            Boolean created = tx.execute(status -> {
                if (datasets.find(projectId, actual).isPresent()) {
                    return false;
                }
                if (!deletions.cancel(intent)) {
                    throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "the upload took longer than "
                            + "trainyard.artifacts.upload-deadline (" + artifacts.uploadDeadline() + ") and its bytes "
                            + "were given up; nothing was stored", List.of());
                }
                datasets.insert(projectId, actual, name, size, key.path(), caller.userId(), Times.now());
                quotas.requireArtifactRoom(projectId, size, "dataset " + name);
                return true;
            });
            if (!created) {
                deletions.deleteNow(List.of(intent)); // the project has these bytes already: keep the first copy
            }
            return new Uploaded(view(readTx.execute(status -> datasets.find(projectId, actual).orElseThrow())),
                    created);
        } catch (DuplicateKeyException e) {
            // a concurrent upload of the same bytes won the unique index
            deletions.deleteNow(List.of(intent));
            return new Uploaded(view(readTx.execute(status -> datasets.find(projectId, actual).orElseThrow())), false);
        } catch (RuntimeException e) {
            deletions.deleteNow(List.of(intent));
            throw e;
        }
    }

    /** Checks what is known before the body is read; returns the declared SHA-256 in lower case, or null. */
    private static String checkUpload(String name, String declaredSha256) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest(FieldProblem.atParameter("name", "a dataset's display name is 1 to "
                    + MAX_NAME + " characters, without control characters", name));
        }
        if (declaredSha256 == null) {
            return null;
        }
        if (!HEX64.matcher(declaredSha256.strip()).matches()) {
            throw ApiException.badRequest(FieldProblem.atParameter(SHA256_HEADER, "64 hexadecimal digits",
                    declaredSha256));
        }
        return declaredSha256.strip().toLowerCase(Locale.ROOT);
    }

    List<DatasetResponse> list(Caller caller, long projectId) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        return readTx.execute(status -> datasets.list(projectId).stream().map(DatasetService::view).toList());
    }

    DatasetResponse get(Caller caller, long projectId, String sha256) {
        return view(find(caller, projectId, sha256));
    }

    Dataset find(Caller caller, long projectId, String sha256) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        String hex = hex(sha256);
        return readTx.execute(status -> datasets.find(projectId, hex).orElseThrow(() -> missing(projectId, hex)));
    }

    /**
     * The dataset the run's spec names, for the worker holding the run's live attempt (409 otherwise); 404 for any
     * other digest, even one of the run's project.
     */
    Dataset findForWorker(WorkerPrincipal principal, String workerId, long runId, int attempt, String sha256) {
        String hex = hex(sha256);
        return tx.execute(status -> {
            leases.check(principal, workerId, runId, attempt);
            RunDataset run = datasets.runDataset(runId).orElseThrow(() -> ApiException.notFound("no run " + runId));
            if (!("sha256:" + hex).equals(run.artifact())) {
                throw ApiException.notFound("run " + runId + " does not name dataset sha256:" + hex + " in its spec ("
                        + (run.artifact() == null ? "it names no dataset artifact" : "it names " + run.artifact())
                        + "); a worker downloads only the dataset of the run it holds");
            }
            return datasets.find(run.projectId(), hex).orElseThrow(() -> missing(run.projectId(), hex));
        });
    }

    /**
     * Deletes the dataset and, through the outbox, its bytes; 409 while queued or running runs name it in their spec
     * (runs that ended may name it: a retry of one checks the dataset again).
     */
    void delete(Caller caller, long projectId, String sha256) {
        access.require(caller, projectId, ProjectRole.EDITOR);
        String hex = hex(sha256);
        long deletion = tx.execute(status -> {
            // locked before looking for runs, so a submission naming it either committed already or waits and then
            // finds it gone (DatasetRepository)
            Dataset d = datasets.lockToDelete(projectId, hex).orElseThrow(() -> missing(projectId, hex));
            List<ActiveRun> using = datasets.activeRunsNaming(projectId, "sha256:" + hex);
            if (!using.isEmpty()) {
                throw ApiException.conflict(inUse(d, using));
            }
            datasets.delete(d.id());
            return deletions.schedule(new ArtifactKey(d.storageKey()), "dataset sha256:" + hex + " of project "
                    + projectId + " deleted", Times.now());
        });
        deletions.deleteNow(List.of(deletion));
    }

    private static String inUse(Dataset d, List<ActiveRun> runs) {
        String listed = runs.stream().limit(MAX_RUNS_NAMED)
                .map(run -> "run " + run.id() + " (\"" + run.name() + "\")")
                .collect(Collectors.joining(", "));
        String more = runs.size() > MAX_RUNS_NAMED ? " and " + (runs.size() - MAX_RUNS_NAMED) + " more" : "";
        return "dataset sha256:" + d.sha256() + " (\"" + d.name() + "\") of project " + d.projectId() + " is named by "
                + runs.size() + (runs.size() == 1 ? " queued or running run: " : " queued or running runs: ") + listed
                + more + "; cancel " + (runs.size() == 1 ? "it" : "them") + " or wait until "
                + (runs.size() == 1 ? "it finishes" : "they finish") + ", then delete the dataset";
    }

    /** The path's digest: 64 hex digits, optionally after {@code sha256:}; 400 otherwise. */
    private static String hex(String sha256) {
        String hex = sha256.startsWith("sha256:") ? sha256.substring("sha256:".length()) : sha256;
        if (!HEX64.matcher(hex).matches()) {
            throw ApiException.badRequest(FieldProblem.atParameter("sha256", "a dataset is named by its SHA-256: 64 "
                    + "hexadecimal digits", sha256));
        }
        return hex.toLowerCase(Locale.ROOT);
    }

    private static ApiException missing(long projectId, String hex) {
        return ApiException.notFound("project " + projectId + " has no dataset sha256:" + hex);
    }

    static ArtifactDownloads.Download download(Dataset d) {
        String filename = FILENAME.matcher(d.name()).matches() ? d.name() : "dataset-" + d.sha256().substring(0, 12);
        return new ArtifactDownloads.Download("dataset sha256:" + d.sha256() + " of project " + d.projectId(),
                new ArtifactKey(d.storageKey()), d.sizeBytes(), d.sha256(), filename, SHA256_HEADER);
    }

    static DatasetResponse view(Dataset d) {
        return new DatasetResponse("sha256:" + d.sha256(), d.sha256(), d.name(), d.sizeBytes(), d.uploadedBy(),
                d.createdAt(), "/api/v1/projects/" + d.projectId() + "/datasets/" + d.sha256() + "/content");
    }
}
