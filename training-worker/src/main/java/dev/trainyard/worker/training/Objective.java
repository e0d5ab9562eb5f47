package dev.trainyard.worker.training;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.BCEWithLogitsLoss;
import dev.trainyard.engine.nn.CrossEntropyLoss;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.HuberLoss;
import dev.trainyard.engine.nn.L1Loss;
import dev.trainyard.engine.nn.Loss;
import dev.trainyard.engine.nn.MSELoss;
import dev.trainyard.engine.nn.NLLLoss;
import dev.trainyard.engine.nn.Reduction;
import dev.trainyard.engine.nn.SmoothL1Loss;
import dev.trainyard.spec.LossSpec;
import dev.trainyard.spec.Options;

import java.util.List;

/**
 * The loss of a run and how model outputs and dataset targets are fed to it and to the metrics: class scores
 * {@code [N, C]} with int64 targets for cross entropy and NLL; one logit per example with 0/1 targets (as float) for
 * BCE with logits; one value per example with float targets for the regression losses.
 */
final class Objective {
    private final String type;
    private final Loss loss;
    private final int outputs;

    private Objective(String type, Loss loss, int outputs) {
        this.type = type;
        this.loss = loss;
        this.outputs = outputs;
    }

    static Objective create(LossSpec spec, int numClasses) {
        Options o = spec.options();
        return switch (spec.type()) {
            case "cross_entropy" -> new Objective(spec.type(), new CrossEntropyLoss(classWeights(o, numClasses), F.IGNORE_INDEX,
                    Reduction.MEAN, o.getDouble("labelSmoothing")), numClasses);
            case "nll" -> new Objective(spec.type(), new NLLLoss(classWeights(o, numClasses), F.IGNORE_INDEX, Reduction.MEAN),
                    numClasses);
            case "bce_with_logits" -> {
                if (numClasses != 2) {
                    throw new IllegalArgumentException("loss bce_with_logits needs two classes (labels 0 and 1), but the dataset has "
                            + numClasses + "; use cross_entropy");
                }
                Tensor posWeight = o.has("posWeight") ? Tensor.of(new float[] {(float) o.getDouble("posWeight")}, 1) : null;
                yield new Objective(spec.type(), new BCEWithLogitsLoss(null, Reduction.MEAN, posWeight), 1);
            }
            case "mse" -> new Objective(spec.type(), new MSELoss(), 1);
            case "l1" -> new Objective(spec.type(), new L1Loss(Reduction.MEAN), 1);
            case "smooth_l1" -> new Objective(spec.type(), new SmoothL1Loss(Reduction.MEAN, o.getDouble("beta")), 1);
            case "huber" -> new Objective(spec.type(), new HuberLoss(Reduction.MEAN, o.getDouble("delta")), 1);
            default -> throw new IllegalArgumentException("unknown loss '" + spec.type() + "'");
        };
    }

    private static Tensor classWeights(Options o, int numClasses) {
        if (!o.has("classWeights")) {
            return null;
        }
        List<Double> w = o.getDoubles("classWeights");
        if (w.size() != numClasses) {
            throw new IllegalArgumentException("loss.classWeights has " + w.size() + " values but the dataset has " + numClasses
                    + " classes");
        }
        float[] f = new float[w.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = w.get(i).floatValue();
        }
        return Tensor.of(f, f.length);
    }

    /** Values per example the model must give: the number of classes, or 1. */
    int outputs() {
        return outputs;
    }

    boolean binary() {
        return type.equals("bce_with_logits");
    }

    /** The mean loss of a batch. */
    Tensor loss(Tensor output, Tensor target) {
        if (outputs == 1) {
            Tensor out = output.dim() == 2 ? output.view(output.size(0)) : output;
            Tensor t = target.dtype() == out.dtype() ? target : target.to(out.dtype());
            return loss.call(out, t);
        }
        return loss.call(output, target);
    }

    /** Class scores {@code [N, C]} for the classification metrics ({@code [-z, z]} for one logit z). */
    Tensor scores(Tensor output) {
        if (binary()) {
            Tensor z = logits(output);
            return Tensor.stack(List.of(z.neg(), z), 1);
        }
        return output;
    }

    /** One value per example ({@code [N]}), for BCE logits and regression outputs. */
    Tensor logits(Tensor output) {
        return output.dim() == 2 ? output.view(output.size(0)) : output;
    }

    /** The loss module, e.g. to move it to a dtype with the model. */
    Loss module() {
        return loss;
    }
}
