package dev.trainyard.worker.agent;

import dev.trainyard.worker.client.PlatformException;
import dev.trainyard.worker.client.Retry;
import dev.trainyard.worker.training.LocalStorageException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a run attempt failed on this worker, as the platform is told in the FAILED report: what the worker was doing,
 * the exception's class and message and those of its causes, with no local file paths (a path is cut to its file
 * name), and whether another attempt may help.
 *
 * <p>Training is deterministic given the spec and the data, so an exception from setting a run up or from training
 * it (a spec the trainer cannot handle, unreadable data, a model larger than the heap) would happen again on the
 * next attempt: not retryable. Retryable are what another moment or another worker can change: the worker's own
 * disk ({@link LocalStorageException}), a platform that is unavailable, a broken download, and JVM faults other than
 * running out of heap or stack.
 *
 * @param message at most {@link #MESSAGE_LIMIT} characters
 */
record RunFailure(String message, boolean retryable) {

    static final int MESSAGE_LIMIT = 1000;
    private static final int MAX_CAUSES = 3;
    /** An absolute path (Unix, or Windows with a drive letter) of at least one directory: its directories go. */
    private static final Pattern ABSOLUTE_PATH =
            Pattern.compile("(?<![\\w.~/\\\\:])(?:/|[A-Za-z]:\\\\)(?:[^/\\\\\\s'\"(),;:]+[/\\\\])+([^/\\\\\\s'\"(),;:]*)");

    /** An IOException worth another attempt (a download that came out different from what the platform lists). */
    static final class TransientIOException extends IOException {
        private static final long serialVersionUID = 1L;

        TransientIOException(String message) {
            super(message);
        }
    }

    /** A failure while setting the run up (parsing, downloading and loading data, building the model, resuming). */
    static RunFailure inSetUp(Throwable e) {
        String doing = e instanceof PlatformException || e instanceof Retry.GaveUpException
                ? "cannot fetch what the run needs from the platform"
                : e instanceof IOException && !(e instanceof TransientIOException)
                        || e instanceof UncheckedIOException && !(e instanceof LocalStorageException)
                        ? "cannot load the run's data"
                : e instanceof IllegalArgumentException ? "invalid run"
                : "cannot set the run up";
        return of(doing, e);
    }

    /** A failure while training, after {@code step} optimizer steps. */
    static RunFailure inTraining(long step, Throwable e) {
        return of("training failed after step " + step, e);
    }

    static RunFailure of(String doing, Throwable e) {
        String message = withoutLocalPaths(doing + ": " + describe(e)) + hint(e);
        if (message.length() > MESSAGE_LIMIT) {
            message = message.substring(0, MESSAGE_LIMIT - 3) + "...";
        }
        return new RunFailure(message, retryable(e));
    }

    static boolean retryable(Throwable e) {
        return switch (e) {
            case PlatformException p -> p.isTransient();
            case Retry.GaveUpException g -> true;
            case LocalStorageException l -> true;
            case TransientIOException t -> true;
            case OutOfMemoryError o -> false;
            case StackOverflowError s -> false;
            case VirtualMachineError v -> true;
            default -> false;
        };
    }

    /** "ArithmeticException: / by zero", then "; caused by ..." for up to three causes. */
    static String describe(Throwable e) {
        List<String> parts = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t) && parts.size() <= MAX_CAUSES; t = t.getCause()) {
            String message = t.getMessage();
            Throwable cause = t.getCause();
            if (cause != null && message != null && message.equals(cause.toString())) {
                continue; // a wrapper that only repeats its cause (new XException(cause)): say the cause once
            }
            parts.add(t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message));
        }
        return String.join("; caused by ", parts);
    }

    private static String hint(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CharacterCodingException) {
                return " (the file is not UTF-8 text)";
            }
        }
        if (e instanceof OutOfMemoryError) {
            long mib = Runtime.getRuntime().maxMemory() >> 20;
            return " (the worker's heap holds at most " + mib + " MiB: make the model, the batch or the dataset smaller)";
        }
        return "";
    }

    /** Cuts every absolute path to its file name, so the report does not show the worker's directories. */
    static String withoutLocalPaths(String text) {
        Matcher m = ABSOLUTE_PATH.matcher(text);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
    }
}
