package dev.trainyard.engine.optim;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.RmspropStep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, as {@code torch.optim.RMSprop}: divides the gradient by a running root mean square, optionally centered
 * (subtracting the running mean of the gradient) and with momentum.
 *
 * <pre>{@code
 * var opt = new RMSprop(model.parameters(), 1e-2).alpha(0.9).momentum(0.9).centered(true);
 * }</pre>
 *
 * Defaults: {@code alpha 0.99}, {@code eps 1e-8}, {@code weight_decay 0}, {@code momentum 0}. State: {@code step}
 * (a 0-dim float32 tensor, as in PyTorch 2; PyTorch 1.13 kept a Python int), {@code square_avg}, and
 * {@code momentum_buffer} / {@code grad_avg} when momentum / centered are on.
 */
public final class RMSprop extends Optimizer {

    public RMSprop(Iterable<Tensor> params, double lr) {
        this(single(params), lr);
    }

    public RMSprop(List<ParamGroup> groups, double lr) {
        super(groups, defaults(lr));
    }

    private static Map<String, Object> defaults(double lr) {
        checkNonNegative("learning rate", lr);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("momentum", 0.0);
        d.put("alpha", 0.99);
        d.put("eps", 1e-8);
        d.put("centered", false);
        d.put("weight_decay", 0.0);
        d.put("maximize", false);
        return d;
    }

    /** Smoothing constant of the running average of the squared gradient. */
    public RMSprop alpha(double alpha) {
        checkNonNegative("alpha", alpha);
        setDefault("alpha", alpha);
        return this;
    }

    public RMSprop eps(double eps) {
        checkNonNegative("epsilon", eps);
        setDefault("eps", eps);
        return this;
    }

    public RMSprop weightDecay(double weightDecay) {
        checkNonNegative("weight_decay", weightDecay);
        setDefault("weight_decay", weightDecay);
        return this;
    }

    public RMSprop momentum(double momentum) {
        checkNonNegative("momentum", momentum);
        setDefault("momentum", momentum);
        return this;
    }

    /** Normalizes by an estimate of the gradient's variance instead of its second moment. */
    public RMSprop centered(boolean centered) {
        setDefault("centered", centered);
        return this;
    }

    public RMSprop maximize(boolean maximize) {
        setDefault("maximize", maximize);
        return this;
    }

    @Override
    protected ParamStep groupStep(ParamGroup group, int index) {
        double lr = group.getDouble("lr");
        double alpha = group.getDouble("alpha");
        double eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay");
        double momentum = group.getDouble("momentum");
        boolean centered = group.getBoolean("centered");
        boolean maximize = group.getBoolean("maximize");
        return (p, state) -> {
            if (state.isEmpty()) {
                state.put("step", newStep());
                state.put("square_avg", zerosLike(p));
            }
            if (momentum > 0) {
                state.computeIfAbsent("momentum_buffer", k -> zerosLike(p));
            }
            if (centered) {
                state.computeIfAbsent("grad_avg", k -> zerosLike(p));
            }
            incrementStep((Tensor) state.get("step"));
            Tensor squareAvgT = (Tensor) state.get("square_avg");
            Tensor bufT = momentum > 0 ? (Tensor) state.get("momentum_buffer") : null;
            Tensor gradAvgT = centered ? (Tensor) state.get("grad_avg") : null;
            Arith a = Arith.of(p.dtype());
            RmspropStep options = new RmspropStep(maximize, a.s(weightDecay), a.s(alpha), a.s(1 - alpha), a.s(eps),
                    a.s(momentum), a.s(-lr));
            checkStateBuffers(squareAvgT, bufT, gradAvgT);
            update(p, (param, grad) -> param.device().kernels().rmspropStep(param, grad, squareAvgT, gradAvgT, bufT, options),
                    squareAvgT, bufT, gradAvgT);
        };
    }
}
