package dev.trainyard.worker.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Records everything a trainer reports, for assertions. */
class RecordingListener implements TrainingListener {
    record MetricEvent(long step, int epoch, Map<String, Double> metrics) {
    }

    record CheckpointEvent(long step, int epoch, Path file, Map<String, Double> metrics) {
    }

    final List<MetricEvent> metrics = new ArrayList<>();
    final List<CheckpointEvent> checkpoints = new ArrayList<>();
    final List<Path> removed = new ArrayList<>();
    final List<String> lines = new ArrayList<>();

    @Override
    public void onMetrics(long step, int epoch, Map<String, Double> m) {
        metrics.add(new MetricEvent(step, epoch, m));
    }

    @Override
    public void onCheckpoint(long step, int epoch, Path file, Map<String, Double> m) {
        checkpoints.add(new CheckpointEvent(step, epoch, file, m));
    }

    @Override
    public void onCheckpointRemoved(long step, Path file) {
        removed.add(file);
    }

    @Override
    public void onLog(String line) {
        lines.add(line);
    }

    /** Every reported value by "step name", without the wall-clock throughput, in report order. */
    Map<String, Double> series() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (MetricEvent e : metrics) {
            e.metrics().forEach((k, v) -> {
                if (!k.equals("train/samples_per_sec")) {
                    String key = String.format("%06d %s", e.step(), k);
                    if (out.put(key, v) != null) {
                        throw new AssertionError("reported twice: " + key);
                    }
                }
            });
        }
        return out;
    }

    /** The values of one metric by step. */
    TreeMap<Long, Double> values(String name) {
        TreeMap<Long, Double> out = new TreeMap<>();
        for (MetricEvent e : metrics) {
            if (e.metrics().containsKey(name)) {
                out.put(e.step(), e.metrics().get(name));
            }
        }
        return out;
    }
}
