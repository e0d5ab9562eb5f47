package dev.trainyard.engine.optim;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.AdamStep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Adam} and {@link AdamW} share, as PyTorch's AdamW is its Adam with {@code decoupled_weight_decay=True}:
 * the options with their fluent setters (returning the concrete optimizer, {@code S}) and the update
 * ({@code _single_tensor_adam}). They differ only in the default weight decay and in how it is applied.
 */
abstract sealed class AdamFamily<S extends AdamFamily<S>> extends Optimizer permits Adam, AdamW {
    private final boolean decoupledWeightDecay;

    AdamFamily(List<ParamGroup> groups, double lr, double defaultWeightDecay, boolean decoupledWeightDecay) {
        super(groups, defaults(lr, defaultWeightDecay));
        this.decoupledWeightDecay = decoupledWeightDecay;
    }

    private static Map<String, Object> defaults(double lr, double weightDecay) {
        checkNonNegative("learning rate", lr);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("betas", List.of(0.9, 0.999));
        d.put("eps", 1e-8);
        d.put("weight_decay", weightDecay);
        d.put("amsgrad", false);
        d.put("maximize", false);
        return d;
    }

    /** Coefficients of the running averages of the gradient and of its square. */
    public S betas(double beta1, double beta2) {
        checkBetas(beta1, beta2);
        setDefault("betas", List.of(beta1, beta2));
        return self();
    }

    public S eps(double eps) {
        checkNonNegative("epsilon", eps);
        setDefault("eps", eps);
        return self();
    }

    public S weightDecay(double weightDecay) {
        checkNonNegative("weight_decay", weightDecay);
        setDefault("weight_decay", weightDecay);
        return self();
    }

    /** The AMSGrad variant: normalizes by the running maximum of the second moment. */
    public S amsgrad(boolean amsgrad) {
        setDefault("amsgrad", amsgrad);
        return self();
    }

    public S maximize(boolean maximize) {
        setDefault("maximize", maximize);
        return self();
    }

    @SuppressWarnings("unchecked") // S is the concrete class: Adam extends AdamFamily<Adam>, AdamW likewise
    private S self() {
        return (S) this;
    }

    @Override
    protected ParamStep groupStep(ParamGroup group, int index) {
        double lr = group.getDouble("lr");
        List<Double> betas = group.getDoubles("betas");
        if (betas.size() != 2) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": betas must have 2 values, got " + betas);
        }
        double beta1 = betas.get(0);
        double beta2 = betas.get(1);
        double eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay");
        boolean amsgrad = group.getBoolean("amsgrad");
        boolean maximize = group.getBoolean("maximize");
        return (p, state) -> {
            if (state.isEmpty()) {
                state.put("step", newStep());
                state.put("exp_avg", zerosLike(p));
                state.put("exp_avg_sq", zerosLike(p));
            }
            if (amsgrad && !state.containsKey("max_exp_avg_sq")) {
                state.put("max_exp_avg_sq", zerosLike(p));
            }
            Tensor expAvgT = (Tensor) state.get("exp_avg");
            Tensor expAvgSqT = (Tensor) state.get("exp_avg_sq");
            Tensor maxSqT = amsgrad ? (Tensor) state.get("max_exp_avg_sq") : null;
            double step = incrementStep((Tensor) state.get("step"));
            // Python-float scalars, computed in double exactly as PyTorch does
            double biasCorrection1 = 1 - Math.pow(beta1, step);
            double biasCorrection2 = 1 - Math.pow(beta2, step);
            double stepSize = lr / biasCorrection1;
            double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
            Arith a = Arith.of(p.dtype());
            AdamStep options = new AdamStep(maximize, decoupledWeightDecay, decoupledWeightDecay ? 0 : a.s(weightDecay),
                    a.s(1 - lr * weightDecay), a.s(beta1), a.s(1 - beta1), a.s(beta2), a.s(1 - beta2),
                    a.s(biasCorrection2Sqrt), a.s(eps), a.s(-stepSize));
            checkStateBuffers(expAvgT, expAvgSqT, maxSqT);
            update(p, (param, grad) -> param.device().kernels().adamStep(param, grad, expAvgT, expAvgSqT, maxSqT, options),
                    expAvgT, expAvgSqT, maxSqT);
        };
    }

    private static void checkBetas(double beta1, double beta2) {
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("Invalid beta parameter at index 0: " + beta1 + " (must be in [0, 1))");
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Invalid beta parameter at index 1: " + beta2 + " (must be in [0, 1))");
        }
    }
}
