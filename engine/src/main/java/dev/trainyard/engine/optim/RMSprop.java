package dev.trainyard.engine.optim;

import dev.trainyard.engine.Tensor;

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
            update(p, maximize, weightDecay, (param, grad, a, n) -> {
                Buf sq = Buf.of(squareAvgT);
                Buf buf = bufT != null ? Buf.of(bufT) : null;
                Buf ga = gradAvgT != null ? Buf.of(gradAvgT) : null;
                double al = a.s(alpha);
                double oneMinusAlpha = a.s(1 - alpha);
                double epsS = a.s(eps);
                double mom = a.s(momentum);
                double negLr = a.s(-lr);
                for (int i = 0; i < n; i++) {
                    double g = grad.get(i);
                    double s = a.fma(a.mul(oneMinusAlpha, g), g, a.mul(sq.get(i), al)); // square_avg.mul_(alpha).addcmul_(g, g, value=1-alpha)
                    sq.set(i, s);
                    double avg;
                    if (ga != null) {
                        double gai = a.fma(g, oneMinusAlpha, a.mul(ga.get(i), al)); // grad_avg.mul_(alpha).add_(g, alpha=1-alpha)
                        ga.set(i, gai);
                        avg = a.sqrt(a.fma(-gai, gai, s));                      // square_avg.addcmul(ga, ga, value=-1).sqrt_()
                    } else {
                        avg = a.sqrt(s);
                    }
                    avg = a.add(avg, epsS);                                     // avg.add_(eps)
                    if (buf != null) {
                        double b = a.add(a.mul(buf.get(i), mom), a.div(g, avg));  // buf.mul_(momentum).addcdiv_(g, avg)
                        buf.set(i, b);
                        param.set(i, a.fma(b, negLr, param.get(i)));            // param.add_(buf, alpha=-lr)
                    } else {
                        param.set(i, a.add(param.get(i), a.div(a.mul(negLr, g), avg))); // param.addcdiv_(g, avg, value=-lr)
                    }
                }
            }, squareAvgT, bufT, gradAvgT);
        };
    }
}
