package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.projects.ProjectAccess;
import dev.trainyard.platform.projects.ProjectRole;
import dev.trainyard.platform.scheduling.SchedulingRecords.RunLimitResponse;
import dev.trainyard.platform.web.Times;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A project's limit on concurrent runs: members read it, project admins set and remove it. */
@Service
public class RunLimitService {

    private final JdbcClient jdbc;
    private final ProjectAccess access;
    private final QueueSignal signal;

    public RunLimitService(JdbcClient jdbc, ProjectAccess access, QueueSignal signal) {
        this.jdbc = jdbc;
        this.access = access;
        this.signal = signal;
    }

    @Transactional(readOnly = true)
    public RunLimitResponse get(Caller caller, long projectId) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        return view(projectId);
    }

    /** Sets the limit; runs already RUNNING beyond a lowered limit keep running, no new one starts meanwhile. */
    @Transactional
    public RunLimitResponse set(Caller caller, long projectId, int maxRunning) {
        access.require(caller, projectId, ProjectRole.ADMIN);
        int updated = jdbc.sql("UPDATE project_run_limits SET max_running = :max, updated_by = :by, updated_at = :now"
                        + " WHERE project_id = :p")
                .param("max", maxRunning).param("by", caller.userId()).param("now", Sql.ts(Times.now()))
                .param("p", projectId).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO project_run_limits (project_id, max_running, updated_by, updated_at)"
                            + " VALUES (:p, :max, :by, :now)")
                    .param("p", projectId).param("max", maxRunning).param("by", caller.userId())
                    .param("now", Sql.ts(Times.now())).update();
        }
        QueueSignal.wakeAfterCommit(signal); // a raised limit may let queued runs start
        return view(projectId);
    }

    @Transactional
    public void remove(Caller caller, long projectId) {
        access.require(caller, projectId, ProjectRole.ADMIN);
        jdbc.sql("DELETE FROM project_run_limits WHERE project_id = :p").param("p", projectId).update();
        QueueSignal.wakeAfterCommit(signal);
    }

    private RunLimitResponse view(long projectId) {
        Integer max = jdbc.sql("SELECT max_running FROM project_run_limits WHERE project_id = :p")
                .param("p", projectId).query(Integer.class).optional().orElse(null);
        long running = jdbc.sql("SELECT count(*) FROM runs WHERE project_id = :p AND status = 'RUNNING'")
                .param("p", projectId).query(Long.class).single();
        return new RunLimitResponse(projectId, max, running);
    }
}
