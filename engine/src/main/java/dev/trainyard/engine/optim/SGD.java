package dev.trainyard.engine.optim;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.SgdStep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, weight decay and maximize, as
 * {@code torch.optim.SGD}.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), 0.1).momentum(0.9).nesterov(true).weightDecay(5e-4);
 * }</pre>
 *
 * For each parameter with a gradient {@code g}: {@code g = g + weight_decay * p}; with momentum
 * {@code buf = momentum * buf + (1 - dampening) * g} (the first step sets {@code buf = g}) and
 * {@code g = nesterov ? g + momentum * buf : buf}; then {@code p = p - lr * g}. State: {@code momentum_buffer}
 * (only when momentum is nonzero; PyTorch stores {@code None} otherwise).
 */
public final class SGD extends Optimizer {

    public SGD(Iterable<Tensor> params, double lr) {
        this(single(params), lr);
    }

    /** Parameter groups; groups may override any option, e.g. {@code ParamGroup.of(head).set("lr", 0.01)}. */
    public SGD(List<ParamGroup> groups, double lr) {
        super(groups, defaults(lr));
    }

    private static Map<String, Object> defaults(double lr) {
        checkNonNegative("learning rate", lr);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("momentum", 0.0);
        d.put("dampening", 0.0);
        d.put("weight_decay", 0.0);
        d.put("nesterov", false);
        d.put("maximize", false);
        return d;
    }

    public SGD momentum(double momentum) {
        checkNonNegative("momentum", momentum);
        setDefault("momentum", momentum);
        return this;
    }

    public SGD dampening(double dampening) {
        setDefault("dampening", dampening);
        return this;
    }

    public SGD weightDecay(double weightDecay) {
        checkNonNegative("weight_decay", weightDecay);
        setDefault("weight_decay", weightDecay);
        return this;
    }

    /** Nesterov momentum; needs a nonzero momentum and zero dampening. */
    public SGD nesterov(boolean nesterov) {
        setDefault("nesterov", nesterov);
        return this;
    }

    /** Maximizes the objective instead of minimizing it. */
    public SGD maximize(boolean maximize) {
        setDefault("maximize", maximize);
        return this;
    }

    @Override
    protected ParamStep groupStep(ParamGroup group, int index) {
        double lr = group.getDouble("lr");
        double momentum = group.getDouble("momentum");
        double dampening = group.getDouble("dampening");
        double weightDecay = group.getDouble("weight_decay");
        boolean nesterov = group.getBoolean("nesterov");
        boolean maximize = group.getBoolean("maximize");
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening; group " + index
                    + " has momentum " + momentum + " and dampening " + dampening);
        }
        return (p, state) -> {
            boolean first = momentum != 0 && !state.containsKey("momentum_buffer");
            if (first) {
                state.put("momentum_buffer", zerosLike(p));
            }
            Tensor buf = momentum != 0 ? (Tensor) state.get("momentum_buffer") : null;
            Arith a = Arith.of(p.dtype());
            SgdStep options = new SgdStep(maximize, a.s(weightDecay), a.s(momentum), a.s(1 - dampening), nesterov, a.s(-lr));
            checkStateBuffers(buf);
            update(p, (param, grad) -> param.device().kernels().sgdStep(param, grad, buf, first, options), buf);
        };
    }
}
