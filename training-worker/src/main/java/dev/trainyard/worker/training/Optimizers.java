package dev.trainyard.worker.training;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.optim.Adagrad;
import dev.trainyard.engine.optim.Adam;
import dev.trainyard.engine.optim.AdamW;
import dev.trainyard.engine.optim.Optimizer;
import dev.trainyard.engine.optim.RMSprop;
import dev.trainyard.engine.optim.SGD;
import dev.trainyard.spec.OptimizerSpec;
import dev.trainyard.spec.Options;

import java.util.List;

/** The engine optimizer of an {@link OptimizerSpec}. */
final class Optimizers {
    private Optimizers() {
    }

    static Optimizer create(OptimizerSpec spec, List<Tensor> params) {
        Options o = spec.options();
        double lr = o.getDouble("lr");
        return switch (spec.type()) {
            case "sgd" -> new SGD(params, lr).momentum(o.getDouble("momentum")).dampening(o.getDouble("dampening"))
                    .weightDecay(o.getDouble("weightDecay")).nesterov(o.getBoolean("nesterov")).maximize(o.getBoolean("maximize"));
            case "adam" -> {
                List<Double> b = o.getDoubles("betas");
                yield new Adam(params, lr).betas(b.get(0), b.get(1)).eps(o.getDouble("eps")).weightDecay(o.getDouble("weightDecay"))
                        .amsgrad(o.getBoolean("amsgrad")).maximize(o.getBoolean("maximize"));
            }
            case "adamw" -> {
                List<Double> b = o.getDoubles("betas");
                yield new AdamW(params, lr).betas(b.get(0), b.get(1)).eps(o.getDouble("eps")).weightDecay(o.getDouble("weightDecay"))
                        .amsgrad(o.getBoolean("amsgrad")).maximize(o.getBoolean("maximize"));
            }
            case "rmsprop" -> new RMSprop(params, lr).alpha(o.getDouble("alpha")).eps(o.getDouble("eps"))
                    .weightDecay(o.getDouble("weightDecay")).momentum(o.getDouble("momentum")).centered(o.getBoolean("centered"))
                    .maximize(o.getBoolean("maximize"));
            case "adagrad" -> new Adagrad(params, lr).lrDecay(o.getDouble("lrDecay")).weightDecay(o.getDouble("weightDecay"))
                    .initialAccumulatorValue(o.getDouble("initialAccumulatorValue")).eps(o.getDouble("eps"))
                    .maximize(o.getBoolean("maximize"));
            default -> throw new IllegalArgumentException("unknown optimizer '" + spec.type() + "'");
        };
    }
}
