package dev.trainyard.platform.logs;

import dev.trainyard.platform.events.LogLine;
import java.time.Instant;
import java.util.List;

/** Requests and responses of the log endpoints. */
public final class LogRecords {

    private LogRecords() {}

    /**
     * Lines to append, at most {@value LogService#MAX_LINES}.
     *
     * @param lines each with its seq (the worker numbers the lines of an attempt: 1, 2, 3, ...)
     */
    public record AppendLogsRequest(List<NewLine> lines) {}

    /**
     * A line to append.
     *
     * @param seq the line's number within the attempt, 0 or more; a seq already stored keeps its first line
     * @param time when it was written; default now
     * @param stream {@code stdout} (default) or {@code stderr}
     * @param text at most {@value LogService#MAX_LINE_LENGTH} characters, without the line break
     */
    public record NewLine(Long seq, Instant time, String stream, String text) {}

    /**
     * What an append did.
     *
     * @param attempt the attempt the lines went to
     * @param lastSeq the highest seq of the request
     */
    public record AppendLogsResponse(int attempt, int received, int inserted, int duplicates, Long lastSeq) {}

    /**
     * A page of a run's log.
     *
     * @param attempt the attempt whose lines these are
     * @param items the lines, in seq order
     * @param lastSeq the seq of the last line returned (or the {@code after} asked for when there was none): ask for
     *     {@code after=lastSeq} next
     * @param more whether more lines follow now (the page was full)
     */
    public record LogPage(long runId, int attempt, List<LogLine> items, Long lastSeq, boolean more) {}
}
