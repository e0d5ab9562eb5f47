package dev.trainyard.engine.optim;

import dev.trainyard.engine.Tensor;

import java.util.List;

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
public final class AdamW extends AdamFamily<AdamW> {

    public AdamW(Iterable<Tensor> params, double lr) {
        this(single(params), lr);
    }

    public AdamW(List<ParamGroup> groups, double lr) {
        super(groups, lr, 1e-2, true);
    }
}
