package dev.trainyard.engine.optim;

import dev.trainyard.engine.Tensor;

import java.util.List;

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
public final class Adam extends AdamFamily<Adam> {

    public Adam(Iterable<Tensor> params, double lr) {
        this(single(params), lr);
    }

    public Adam(List<ParamGroup> groups, double lr) {
        super(groups, lr, 0.0, false);
    }
}
