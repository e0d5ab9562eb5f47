package dev.trainyard.worker.training;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.data.Batch;
import dev.trainyard.engine.data.DataLoader;
import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.data.Sample;
import dev.trainyard.engine.metrics.AUROC;
import dev.trainyard.engine.metrics.Accuracy;
import dev.trainyard.engine.metrics.Average;
import dev.trainyard.engine.metrics.F1Score;
import dev.trainyard.engine.metrics.Metric;
import dev.trainyard.engine.metrics.Precision;
import dev.trainyard.engine.metrics.Recall;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.spec.MetricSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Evaluates a model on a split: the mean loss over its examples and the spec's metrics, computed with the engine's
 * streaming metrics (regression errors directly). Runs in eval mode without gradients, in order, and draws nothing
 * from the run's generators, so evaluating never changes what training does next.
 */
final class Evaluator {
    /** Thrown when the cancel check fires between evaluation batches. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    private final List<MetricSpec> metrics;
    private final Objective objective;
    private final int numClasses;
    private final int batchSize;

    Evaluator(List<MetricSpec> metrics, Objective objective, int numClasses, int batchSize) {
        this.metrics = metrics;
        this.objective = objective;
        this.numClasses = numClasses;
        this.batchSize = batchSize;
    }

    @SuppressWarnings("try") // the no-grad guard is only closed
    Map<String, Double> evaluate(Module model, Dataset<Sample> data, String prefix, BooleanSupplier cancelled) {
        List<Metric> engineMetrics = new ArrayList<>();
        List<MetricSpec> engineSpecs = new ArrayList<>();
        for (MetricSpec m : metrics) {
            Metric em = engineMetric(m);
            if (em != null) {
                engineMetrics.add(em);
                engineSpecs.add(m);
            }
        }
        double lossSum = 0;
        double sqErr = 0;
        double absErr = 0;
        long n = 0;
        boolean wasTraining = model.isTraining();
        model.eval();
        // a generator of its own: a loader draws a seed from its generator per epoch even without shuffling
        var loader = DataLoader.builder(data).batchSize(batchSize).generator(new Generator().manualSeed(0)).build();
        try (var g = Autograd.noGrad(); var it = loader.iterator()) {
            while (it.hasNext()) {
                if (cancelled.getAsBoolean()) {
                    throw new Cancelled();
                }
                Batch b = it.next();
                Tensor out = model.call(b.x());
                int bs = b.batchSize();
                lossSum += objective.loss(out, b.y()).item() * bs;
                n += bs;
                if (objective.outputs() == 1 && !objective.binary()) {
                    float[] pred = objective.logits(out).toFloatArray();
                    float[] target = b.y().to(dev.trainyard.engine.DType.FLOAT32).toFloatArray();
                    for (int i = 0; i < pred.length; i++) {
                        double d = (double) pred[i] - target[i];
                        sqErr += d * d;
                        absErr += Math.abs(d);
                    }
                    continue;
                }
                Tensor scores = objective.scores(out);
                for (int i = 0; i < engineMetrics.size(); i++) {
                    if (engineMetrics.get(i) instanceof AUROC && objective.binary()) {
                        engineMetrics.get(i).update(objective.logits(out), b.y());
                    } else {
                        engineMetrics.get(i).update(scores, b.y());
                    }
                }
            }
        } finally {
            model.train(wasTraining);
        }
        Map<String, Double> result = new LinkedHashMap<>();
        result.put(prefix + "/loss", n == 0 ? Double.NaN : lossSum / n);
        for (MetricSpec m : metrics) {
            String key = prefix + "/" + m.key();
            switch (m.type()) {
                case "mse" -> result.put(key, sqErr / n);
                case "rmse" -> result.put(key, Math.sqrt(sqErr / n));
                case "mae" -> result.put(key, absErr / n);
                default -> result.put(key, engineMetrics.get(engineSpecs.indexOf(m)).compute().item());
            }
        }
        return result;
    }

    private Metric engineMetric(MetricSpec m) {
        if (m.average() == null) {
            return null;
        }
        Average avg = Average.valueOf(m.average().toUpperCase(Locale.ROOT));
        return switch (m.type()) {
            case "accuracy" -> new Accuracy(numClasses, avg, m.topK());
            case "precision" -> new Precision(numClasses, avg);
            case "recall" -> new Recall(numClasses, avg);
            case "f1" -> new F1Score(numClasses, avg);
            case "auroc" -> objective.binary() ? AUROC.binary() : AUROC.multiclass(numClasses, avg);
            default -> null;
        };
    }
}
