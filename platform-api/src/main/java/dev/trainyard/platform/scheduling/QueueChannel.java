package dev.trainyard.platform.scheduling;

import org.springframework.stereotype.Component;

/**
 * The queue's channel: the trigger in V2_1 notifies {@value #NAME} whenever a run becomes QUEUED, from any
 * platform-api instance, and this wakes the long-polls waiting here.
 */
@Component
class QueueChannel implements NotificationChannel {

    static final String NAME = "trainyard_runs_queued";

    private final QueueSignal signal;

    QueueChannel(QueueSignal signal) {
        this.signal = signal;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void received(String payload) {
        signal.wake();
    }

    @Override
    public void listening(boolean listening) {
        signal.setListening(listening);
        if (listening) {
            signal.wake(); // runs queued while nobody listened
        }
    }
}
