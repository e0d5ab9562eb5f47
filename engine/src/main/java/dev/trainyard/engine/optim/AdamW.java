package dev.trainyard.engine.optim;

import dev.trainyard.engine.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW, as {@code torch.optim.AdamW}: Adam with decoupled weight decay ({@code p = p * (1 - lr * weight_decay)}
 * before the Adam update) instead of an L2 term in the gradient.
 *
 * <pre>{@code
 * var opt = new AdamW(model.parameters(), 1e-3).weightDecay(0.05);
 * }</pre>
 *
 * Defaults: {@code betas (0.9, 0.999)}, {@code eps 1e-8}, {@code weight_decay 0.01}. State as {@link Adam}.
 */
public final class AdamW extends Optimizer {

    public AdamW(Iterable<Tensor> params, double lr) {
        this(single(params), lr);
    }

    public AdamW(List<ParamGroup> groups, double lr) {
        super(groups, defaults(lr));
    }

    private static Map<String, Object> defaults(double lr) {
        checkNonNegative("learning rate", lr);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("betas", List.of(0.9, 0.999));
        d.put("eps", 1e-8);
        d.put("weight_decay", 1e-2);
        d.put("amsgrad", false);
        d.put("maximize", false);
        return d;
    }

    /** Coefficients of the running averages of the gradient and of its square. */
    public AdamW betas(double beta1, double beta2) {
        AdamKernel.checkBetas(beta1, beta2);
        setDefault("betas", List.of(beta1, beta2));
        return this;
    }

    public AdamW eps(double eps) {
        checkNonNegative("epsilon", eps);
        setDefault("eps", eps);
        return this;
    }

    public AdamW weightDecay(double weightDecay) {
        checkNonNegative("weight_decay", weightDecay);
        setDefault("weight_decay", weightDecay);
        return this;
    }

    /** The AMSGrad variant: normalizes by the running maximum of the second moment. */
    public AdamW amsgrad(boolean amsgrad) {
        setDefault("amsgrad", amsgrad);
        return this;
    }

    public AdamW maximize(boolean maximize) {
        setDefault("maximize", maximize);
        return this;
    }

    @Override
    public void step() {
        AdamKernel.step(this, true);
    }
}
