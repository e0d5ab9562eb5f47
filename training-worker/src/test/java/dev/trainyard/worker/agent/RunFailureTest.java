package dev.trainyard.worker.agent;

import dev.trainyard.worker.client.PlatformException;
import dev.trainyard.worker.training.LocalStorageException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunFailureTest {

    @Test
    void aWrapperThatOnlyRepeatsItsCauseIsSaidOnce() {
        var e = new IllegalStateException(new MalformedInputException(1));
        assertEquals("MalformedInputException: Input length = 1", RunFailure.describe(e));
        var wrapped = new UncheckedIOException("reading train.csv", new MalformedInputException(3));
        assertEquals("UncheckedIOException: reading train.csv; caused by MalformedInputException: Input length = 3",
                RunFailure.describe(wrapped));
        assertEquals("NullPointerException", RunFailure.describe(new NullPointerException()));
    }

    @Test
    void absolutePathsAreCutToTheirFileName() {
        assertEquals("cannot read train.csv: no such file",
                RunFailure.withoutLocalPaths("cannot read /var/lib/trainyard/work/datasets/ab12/train.csv: no such file"));
        assertEquals("saving 'step-000000008.ckpt' failed",
                RunFailure.withoutLocalPaths("saving '/tmp/junit1/w/runs/7-1/checkpoints/step-000000008.ckpt' failed"));
        assertEquals("C:\\ stays, D file.bin goes", RunFailure.withoutLocalPaths("C:\\ stays, D file.bin goes"));
        assertEquals("file.bin", RunFailure.withoutLocalPaths("D:\\work\\runs\\file.bin"));
        assertEquals("http://platform:8080/api/v1/x and data/mnist/train.csv stay",
                RunFailure.withoutLocalPaths("http://platform:8080/api/v1/x and data/mnist/train.csv stay"));
    }

    @Test
    void deterministicFailuresAreNotRetryableAndTheWorkersOwnAre() {
        assertFalse(RunFailure.inSetUp(new ArithmeticException("/ by zero")).retryable());
        assertFalse(RunFailure.inSetUp(new IOException("bad header")).retryable());
        assertFalse(RunFailure.inTraining(12, new IllegalArgumentException("shapes")).retryable());
        assertFalse(RunFailure.inSetUp(new PlatformException("dataset x", 404, null)).retryable());
        assertTrue(RunFailure.inSetUp(new PlatformException("dataset x", 503, null)).retryable());
        assertTrue(RunFailure.inTraining(3, new LocalStorageException("saving step-3.ckpt: disk full",
                new IOException("No space left on device"))).retryable());
        assertTrue(RunFailure.inSetUp(new RunFailure.TransientIOException("checksum")).retryable());
        assertTrue(RunFailure.inTraining(3, new InternalError("jit")).retryable());

        RunFailure oom = RunFailure.inSetUp(new OutOfMemoryError("Java heap space"));
        assertFalse(oom.retryable());
        assertTrue(oom.message().startsWith("cannot set the run up: OutOfMemoryError: Java heap space (the worker's heap"
                + " holds at most "), oom.message());
        assertEquals("training failed after step 12: IllegalArgumentException: shapes",
                RunFailure.inTraining(12, new IllegalArgumentException("shapes")).message());
    }

    @Test
    void theMessageFitsTheReport() {
        RunFailure f = RunFailure.inSetUp(new IllegalArgumentException("x".repeat(5000)));
        assertEquals(RunFailure.MESSAGE_LIMIT, f.message().length());
        assertTrue(f.message().startsWith("invalid run: IllegalArgumentException: xxx"));
    }
}
