package dev.trainyard.platform.scheduling;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes the long-polls waiting in this instance when runs may have become claimable. A generation counter avoids
 * lost wake-ups: a waiter reads it before trying to claim and then waits only if it has not moved since.
 */
@Component
public class QueueSignal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long generation;
    private volatile boolean listening;

    public long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    public void wake() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the generation moves past {@code seen} or {@code max} passes; true if it moved. */
    public boolean await(long seen, Duration max) throws InterruptedException {
        long nanos = max.toNanos();
        lock.lock();
        try {
            while (generation == seen) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether LISTEN/NOTIFY currently feeds this signal (else waiting long-polls rely on polling). */
    public boolean listening() {
        return listening;
    }

    void setListening(boolean listening) {
        this.listening = listening;
    }

    /** How long a waiter sleeps before trying again when nothing wakes it. */
    Duration pollInterval(SchedulingProperties settings) {
        return listening ? settings.listenPollInterval() : settings.pollInterval();
    }

    /** Wakes the waiters once the current transaction has committed (at once outside a transaction). */
    static void wakeAfterCommit(QueueSignal signal) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    signal.wake();
                }
            });
        } else {
            signal.wake();
        }
    }
}
