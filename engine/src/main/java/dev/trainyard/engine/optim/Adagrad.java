package dev.trainyard.engine.optim;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.AdagradStep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adagrad, as {@code torch.optim.Adagrad}: divides the gradient by the root of the sum of all past squared gradients,
 * with an optionally decaying learning rate {@code lr / (1 + (step - 1) * lr_decay)}.
 *
 * <pre>{@code
 * var opt = new Adagrad(model.parameters(), 1e-2).lrDecay(1e-3).initialAccumulatorValue(0.1);
 * }</pre>
 *
 * Defaults: {@code lr_decay 0}, {@code weight_decay 0}, {@code initial_accumulator_value 0}, {@code eps 1e-10}. State:
 * {@code step} (a 0-dim float32 tensor) and {@code sum}. PyTorch creates the state in the constructor; here it is
 * created at a parameter's first step (so that {@link #initialAccumulatorValue} may be set after construction), which
 * gives the same updates.
 */
public final class Adagrad extends Optimizer {

    public Adagrad(Iterable<Tensor> params, double lr) {
        this(single(params), lr);
    }

    public Adagrad(List<ParamGroup> groups, double lr) {
        super(groups, defaults(lr));
    }

    private static Map<String, Object> defaults(double lr) {
        checkNonNegative("learning rate", lr);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("lr_decay", 0.0);
        d.put("eps", 1e-10);
        d.put("weight_decay", 0.0);
        d.put("initial_accumulator_value", 0.0);
        d.put("maximize", false);
        return d;
    }

    public Adagrad lrDecay(double lrDecay) {
        checkNonNegative("lr_decay", lrDecay);
        setDefault("lr_decay", lrDecay);
        return this;
    }

    public Adagrad weightDecay(double weightDecay) {
        checkNonNegative("weight_decay", weightDecay);
        setDefault("weight_decay", weightDecay);
        return this;
    }

    /** The starting value of every element of the squared-gradient sum. */
    public Adagrad initialAccumulatorValue(double value) {
        checkNonNegative("initial_accumulator_value", value);
        setDefault("initial_accumulator_value", value);
        return this;
    }

    public Adagrad eps(double eps) {
        checkNonNegative("epsilon", eps);
        setDefault("eps", eps);
        return this;
    }

    public Adagrad maximize(boolean maximize) {
        setDefault("maximize", maximize);
        return this;
    }

    @Override
    protected ParamStep groupStep(ParamGroup group, int index) {
        double lr = group.getDouble("lr");
        double lrDecay = group.getDouble("lr_decay");
        double eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay");
        double initial = group.getDouble("initial_accumulator_value");
        boolean maximize = group.getBoolean("maximize");
        return (p, state) -> {
            if (state.isEmpty()) {
                state.put("step", newStep());
                state.put("sum", Tensor.full(p.shape(), initial, p.dtype()));
            }
            Tensor sumT = (Tensor) state.get("sum");
            double step = incrementStep((Tensor) state.get("step"));
            double clr = lr / (1 + (step - 1) * lrDecay);
            Arith a = Arith.of(p.dtype());
            AdagradStep options = new AdagradStep(maximize, a.s(weightDecay), a.s(eps), a.s(-clr));
            checkStateBuffers(sumT);
            update(p, (param, grad) -> param.device().kernels().adagradStep(param, grad, sumT, options), sumT);
        };
    }
}
