package dev.trainyard.engine.optim;

import dev.trainyard.engine.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam, as {@code torch.optim.Adam}: moving averages of the gradient and its square with bias correction, optional
 * L2 weight decay added to the gradient, AMSGrad and maximize.
 *
 * <pre>{@code
 * var opt = new Adam(model.parameters(), 1e-3).betas(0.9, 0.999).weightDecay(1e-4).amsgrad(true);
 * }</pre>
 *
 * Defaults: {@code betas (0.9, 0.999)}, {@code eps 1e-8}, {@code weight_decay 0}. State: {@code step} (a 0-dim float32
 * tensor), {@code exp_avg}, {@code exp_avg_sq} and, with AMSGrad, {@code max_exp_avg_sq}.
 */
public final class Adam extends Optimizer {

    public Adam(Iterable<Tensor> params, double lr) {
        this(single(params), lr);
    }

    public Adam(List<ParamGroup> groups, double lr) {
        super(groups, defaults(lr));
    }

    private static Map<String, Object> defaults(double lr) {
        checkNonNegative("learning rate", lr);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("betas", List.of(0.9, 0.999));
        d.put("eps", 1e-8);
        d.put("weight_decay", 0.0);
        d.put("amsgrad", false);
        d.put("maximize", false);
        return d;
    }

    /** Coefficients of the running averages of the gradient and of its square. */
    public Adam betas(double beta1, double beta2) {
        AdamKernel.checkBetas(beta1, beta2);
        setDefault("betas", List.of(beta1, beta2));
        return this;
    }

    public Adam eps(double eps) {
        checkNonNegative("epsilon", eps);
        setDefault("eps", eps);
        return this;
    }

    public Adam weightDecay(double weightDecay) {
        checkNonNegative("weight_decay", weightDecay);
        setDefault("weight_decay", weightDecay);
        return this;
    }

    /** The AMSGrad variant: normalizes by the running maximum of the second moment. */
    public Adam amsgrad(boolean amsgrad) {
        setDefault("amsgrad", amsgrad);
        return this;
    }

    public Adam maximize(boolean maximize) {
        setDefault("maximize", maximize);
        return this;
    }

    @Override
    public void step() {
        AdamKernel.step(this, false);
    }
}
