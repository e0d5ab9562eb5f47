package dev.trainyard.platform.events;

import java.time.Instant;

/**
 * One log line as the API returns it and the streams send it.
 *
 * @param seq the line's number within its attempt, given by the worker; lines are ordered by it
 * @param time when the line was written (the worker's clock, or the server's when it sent none)
 * @param stream where it came from, such as {@code stdout} or {@code stderr}
 * @param text the line, without its line break
 */
public record LogLine(long seq, Instant time, String stream, String text) {}
