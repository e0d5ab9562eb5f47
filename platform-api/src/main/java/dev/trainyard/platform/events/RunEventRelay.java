package dev.trainyard.platform.events;

import dev.trainyard.platform.scheduling.Database;
import dev.trainyard.platform.scheduling.NotificationChannel;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Relays run events between platform-api instances on one PostgreSQL database, so that a stream sees what was
 * written through any instance. Each event published here is sent with NOTIFY on {@value #CHANNEL} (see
 * {@link RelayPayloads} for how big ones are split), and each notification from another instance is handed to this
 * instance's {@link RunEventHub}. This instance's own events reach its hub directly, as on H2, so they arrive once,
 * and still arrive while the listening connection is down.
 *
 * <p>A status change is notified inside the transaction that makes it: PostgreSQL delivers the notification when
 * that transaction commits, and never if it rolls back. Metric and log events are published after their write
 * committed, so their NOTIFY is a statement of its own; if it fails the write stands and only other instances'
 * streams miss the event (a warning is logged). While this instance cannot LISTEN it misses the others' events;
 * when it can again, it ends its streams so that their clients catch up (see {@link #listening(boolean)}).
 */
@Component
public class RunEventRelay implements NotificationChannel {

    static final String CHANNEL = "trainyard_run_events";
    private static final Logger log = LoggerFactory.getLogger(RunEventRelay.class);

    private final JdbcClient jdbc;
    private final boolean postgres;
    private final RunEventHub hub;
    private final String origin = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private final RelayPayloads payloads;
    private volatile boolean listening;

    RunEventRelay(JdbcClient jdbc, Database database, RunEventHub hub, JsonMapper json) {
        this.jdbc = jdbc;
        this.postgres = database == Database.POSTGRESQL;
        this.hub = hub;
        this.payloads = new RelayPayloads(json, origin);
    }

    @EventListener
    public void send(RunStatusChanged e) {
        if (postgres) {
            notify(payloads.encode(e));
        }
    }

    @EventListener
    public void send(MetricsAppended e) {
        if (postgres) {
            notify(payloads.encode(e));
        }
    }

    @EventListener
    public void send(LogsAppended e) {
        if (postgres) {
            notify(payloads.encode(e));
        }
    }

    private void notify(List<String> payloads) {
        try {
            for (String payload : payloads) {
                jdbc.sql("SELECT pg_notify(?, ?)").param(CHANNEL).param(payload).query(rs -> {});
            }
        } catch (RuntimeException e) {
            if (TransactionSynchronizationManager.isActualTransactionActive()) {
                throw e; // the transaction cannot commit anyway
            }
            log.warn("could not relay a run event to the other instances: {}", e.toString());
        }
    }

    @Override
    public String name() {
        return CHANNEL;
    }

    @Override
    public void received(String payload) {
        RelayPayloads.Relayed r = payloads.decode(payload);
        if (r.origin().equals(origin)) {
            return;
        }
        if (r.status() != null) {
            hub.onStatus(r.status());
        } else if (r.metrics() != null) {
            hub.onMetrics(r.metrics());
        } else if (r.logs() != null) {
            hub.onLogs(r.logs());
        } else if (r.fetch() != null && hub.hasStreams(r.fetch().projectId(), r.fetch().runId(),
                r.fetch().experimentId())) {
            RelayPayloads.LogsToFetch f = r.fetch();
            hub.onLogs(new LogsAppended(f.projectId(), f.experimentId(), f.runId(), f.attempt(), fetch(f)));
        }
    }

    private List<LogLine> fetch(RelayPayloads.LogsToFetch f) {
        return jdbc.sql("SELECT seq, logged_at, stream, line FROM run_logs"
                        + " WHERE run_id = :run AND attempt = :attempt AND seq IN (:seqs) ORDER BY seq")
                .param("run", f.runId()).param("attempt", f.attempt()).param("seqs", f.seqs())
                .query((rs, i) -> new LogLine(rs.getLong("seq"),
                        rs.getObject("logged_at", OffsetDateTime.class).toInstant(), rs.getString("stream"),
                        rs.getString("line")))
                .list();
    }

    /**
     * When LISTEN works again after the connection was lost, the other instances' events of the gap never arrive:
     * this instance's streams are ended, so their clients reconnect and catch up from the snapshot a stream starts with.
     */
    @Override
    public void listening(boolean listening) {
        boolean was = this.listening;
        this.listening = listening;
        if (listening && !was) {
            int ended = hub.endAllStreams();
            if (ended > 0) {
                log.info("listening for other instances' run events again: ended {} event streams, whose clients "
                        + "reconnect and catch up from a snapshot", ended);
            }
        }
    }

    /** Whether events from the other instances arrive (LISTEN works). */
    public boolean listening() {
        return listening;
    }
}
