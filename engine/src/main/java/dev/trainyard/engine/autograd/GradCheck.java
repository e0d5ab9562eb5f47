package dev.trainyard.engine.autograd;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.Storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks hand-written gradients against finite differences, as {@code torch.autograd.gradcheck} and
 * {@code gradgradcheck}.
 *
 * <pre>{@code
 * Tensor x = Tensor.randn(new int[] {3, 4}, g).to(DType.FLOAT64).requiresGrad_();
 * GradCheck.gradcheck(in -> in[0].tanh().sum(1), x);   // true, or throws GradCheck.GradcheckError
 * }</pre>
 *
 * For every input that requires grad (it must be float64) and every output, the numerical Jacobian is built by
 * central differences, {@code (f(x + eps) - f(x - eps)) / 2 eps} per input element, and the analytical one by one
 * {@link Autograd#grad} per output element with a unit gradient. Entries must agree within
 * {@code atol + rtol * |numerical|}. Inputs are perturbed in their storage, through their own strides, so
 * non-contiguous inputs (transposed, step-sliced) are checked as given; inputs whose elements overlap in memory
 * (expanded) are rejected, as PyTorch does.
 */
public final class GradCheck {
    public static final double DEFAULT_EPS = 1e-6;
    public static final double DEFAULT_ATOL = 1e-5;
    public static final double DEFAULT_RTOL = 1e-3;
    private static final int MAX_PRINTED_JACOBIAN = 200;
    private static final long GRAD_OUTPUTS_SEED = 0x6772616467726164L;

    private GradCheck() {
    }

    /** A gradient that disagrees with finite differences; the message names the input, the entry and both values. */
    public static final class GradcheckError extends AssertionError {
        private static final long serialVersionUID = 1L;

        GradcheckError(String message) {
            super(message);
        }
    }

    /** {@code torch.autograd.gradcheck(fn, inputs)} with eps 1e-6, atol 1e-5, rtol 1e-3. */
    public static boolean gradcheck(java.util.function.Function<Tensor[], Tensor> fn, Tensor... inputs) {
        return gradcheck(fn, DEFAULT_EPS, DEFAULT_ATOL, DEFAULT_RTOL, inputs);
    }

    /** Returns true when the gradients agree, and throws {@link GradcheckError} saying where they don't. */
    public static boolean gradcheck(java.util.function.Function<Tensor[], Tensor> fn, double eps, double atol, double rtol,
                                    Tensor... inputs) {
        return check(in -> new Tensor[] {fn.apply(in)}, inputs, eps, atol, rtol, "gradcheck");
    }

    /** {@code torch.autograd.gradgradcheck(fn, inputs)} with eps 1e-6, atol 1e-5, rtol 1e-3. */
    public static boolean gradgradcheck(java.util.function.Function<Tensor[], Tensor> fn, Tensor... inputs) {
        return gradgradcheck(fn, DEFAULT_EPS, DEFAULT_ATOL, DEFAULT_RTOL, inputs);
    }

    /**
     * Checks second derivatives: the gradient of {@code fn}'s output, taken with {@code createGraph} against a fixed
     * random output gradient {@code v}, is itself gradchecked as a function of the inputs and of {@code v}.
     */
    public static boolean gradgradcheck(java.util.function.Function<Tensor[], Tensor> fn, double eps, double atol, double rtol,
                                        Tensor... inputs) {
        Tensor probe;
        try (var g = Autograd.enableGrad()) {
            probe = fn.apply(inputs);
        }
        if (!probe.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("gradgradcheck: the function's output has dtype " + probe.dtype()
                    + ", which has no gradient");
        }
        Generator generator = new Generator().manualSeed(GRAD_OUTPUTS_SEED);
        Tensor v = Tensor.randn(probe.shape(), generator).to(DType.FLOAT64).to(probe.dtype()).requiresGrad_();
        int n = inputs.length;
        boolean[] differentiable = new boolean[n];
        for (int k = 0; k < n; k++) {
            differentiable[k] = inputs[k] != null && inputs[k].requiresGrad();
        }
        Tensor[] extended = Arrays.copyOf(inputs, n + 1);
        extended[n] = v;
        java.util.function.Function<Tensor[], Tensor[]> firstDerivatives = in -> {
            try (var g = Autograd.enableGrad()) {
                List<Tensor> wrt = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    if (differentiable[k]) {
                        wrt.add(in[k]);
                    }
                }
                Tensor out = fn.apply(Arrays.copyOf(in, n));
                Tensor[] grads = new Tensor[wrt.size()];
                if (out.requiresGrad()) {
                    List<Tensor> computed = Autograd.grad(List.of(out), wrt, List.of(in[n]), true, true, true);
                    grads = computed.toArray(new Tensor[0]);
                }
                for (int k = 0; k < grads.length; k++) {
                    if (grads[k] == null) {
                        grads[k] = Tensor.zerosLike(wrt.get(k));
                    }
                }
                return grads;
            }
        };
        return check(firstDerivatives, extended, eps, atol, rtol, "gradgradcheck");
    }

    // ------------------------------------------------------------------ the check

    private static boolean check(java.util.function.Function<Tensor[], Tensor[]> fn, Tensor[] inputs, double eps, double atol,
                                 double rtol, String what) {
        List<Integer> checked = validate(inputs, what);
        List<Tensor> wrt = new ArrayList<>();
        for (int k : checked) {
            wrt.add(inputs[k]);
        }

        // analytical: one backward per output element, with a unit gradient
        Tensor[] outputs;
        try (var g = Autograd.enableGrad()) {
            outputs = fn.apply(inputs);
        }
        int[][] outputShapes = new int[outputs.length][];
        double[][][][] analytical = new double[outputs.length][checked.size()][][];
        for (int o = 0; o < outputs.length; o++) {
            Tensor out = outputs[o];
            outputShapes[o] = out.shape();
            int outNumel = out.numel();
            for (int c = 0; c < checked.size(); c++) {
                analytical[o][c] = new double[inputs[checked.get(c)].numel()][outNumel];
            }
            if (!out.dtype().isFloatingPoint() || !out.requiresGrad()) {
                continue;
            }
            for (int j = 0; j < outNumel; j++) {
                Tensor unit = Tensor.zeros(out.shape(), out.dtype());
                unit.storage().setDouble(j, 1.0);
                List<Tensor> grads;
                try (var g = Autograd.enableGrad()) {
                    grads = Autograd.grad(List.of(out), wrt, List.of(unit), true, false, true);
                }
                for (int c = 0; c < checked.size(); c++) {
                    Tensor grad = grads.get(c);
                    if (grad == null) {
                        continue;
                    }
                    Tensor input = inputs[checked.get(c)];
                    if (!Arrays.equals(grad.shape(), input.shape()) || grad.dtype() != input.dtype()) {
                        throw new GradcheckError(what + ": the gradient of input " + checked.get(c) + " has shape "
                                + Arrays.toString(grad.shape()) + " and dtype " + grad.dtype() + ", but the input has shape "
                                + Arrays.toString(input.shape()) + " and dtype " + input.dtype());
                    }
                    double[] row = grad.toDoubleArray();
                    for (int i = 0; i < row.length; i++) {
                        analytical[o][c][i][j] = row[i];
                    }
                }
            }
        }

        // numerical: central differences, perturbing each element in place through the input's own strides
        double[][][][] numerical = new double[outputs.length][checked.size()][][];
        for (int c = 0; c < checked.size(); c++) {
            Tensor input = inputs[checked.get(c)];
            double[] data = input.storage().doubles();
            int[] positions = storagePositions(input);
            for (int o = 0; o < outputs.length; o++) {
                numerical[o][c] = new double[positions.length][Math.max(0, outputs[o].numel())];
            }
            for (int i = 0; i < positions.length; i++) {
                int p = positions[i];
                double original = data[p];
                double[][] plus;
                double[][] minus;
                try {
                    data[p] = original + eps;
                    plus = evaluate(fn, inputs, outputShapes, what);
                    data[p] = original - eps;
                    minus = evaluate(fn, inputs, outputShapes, what);
                } finally {
                    data[p] = original;
                }
                for (int o = 0; o < outputs.length; o++) {
                    for (int j = 0; j < plus[o].length; j++) {
                        numerical[o][c][i][j] = (plus[o][j] - minus[o][j]) / (2 * eps);
                    }
                }
            }
        }

        for (int o = 0; o < outputs.length; o++) {
            for (int c = 0; c < checked.size(); c++) {
                compare(numerical[o][c], analytical[o][c], inputs[checked.get(c)].shape(), outputShapes[o], o, checked.get(c),
                        outputs.length > 1, atol, rtol, what);
            }
        }
        return true;
    }

    private static List<Integer> validate(Tensor[] inputs, String what) {
        List<Integer> checked = new ArrayList<>();
        for (int k = 0; k < inputs.length; k++) {
            Tensor t = inputs[k];
            if (t == null || !t.requiresGrad()) {
                continue;
            }
            if (t.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException(what + ": input " + k + " has dtype " + t.dtype() + "; finite differences with "
                        + "eps 1e-6 need float64 inputs, so convert it with to(DType.FLOAT64) (and requiresGrad_() the result)");
            }
            int[] shape = t.shape();
            int[] strides = t.stride();
            for (int d = 0; d < shape.length; d++) {
                if (strides[d] == 0 && shape[d] > 1) {
                    throw new IllegalArgumentException(what + ": input " + k + " has a dimension with stride 0 (an expanded "
                            + "tensor, shape " + Arrays.toString(shape) + ", strides " + Arrays.toString(strides) + "); its "
                            + "elements overlap in memory, so they cannot be perturbed one at a time. Pass a clone()");
                }
            }
            checked.add(k);
        }
        if (checked.isEmpty()) {
            throw new IllegalArgumentException(what + ": expects at least one input tensor to require gradient, but none of the "
                    + inputs.length + " inputs does; call requiresGrad_() on the ones to check");
        }
        return checked;
    }

    private static double[][] evaluate(java.util.function.Function<Tensor[], Tensor[]> fn, Tensor[] inputs, int[][] shapes,
                                       String what) {
        Tensor[] outs = fn.apply(inputs);
        if (outs.length != shapes.length) {
            throw new IllegalStateException(what + ": the function returned " + outs.length + " outputs on a perturbed input, but "
                    + shapes.length + " before");
        }
        double[][] values = new double[outs.length][];
        for (int o = 0; o < outs.length; o++) {
            if (!Arrays.equals(outs[o].shape(), shapes[o])) {
                throw new IllegalStateException(what + ": output " + o + " has shape " + Arrays.toString(outs[o].shape())
                        + " on a perturbed input but " + Arrays.toString(shapes[o]) + " before");
            }
            // copied now: an output may be a view of the input being perturbed
            values[o] = outs[o].dtype().isFloatingPoint() ? outs[o].toDoubleArray() : new double[outs[o].numel()];
        }
        return values;
    }

    /** Storage position of each element of {@code t}, in row-major order of its logical shape. */
    private static int[] storagePositions(Tensor t) {
        int[] shape = t.shape();
        int[] strides = t.stride();
        int n = t.numel();
        int[] out = new int[n];
        int[] index = new int[shape.length];
        for (int i = 0; i < n; i++) {
            int p = t.storageOffset();
            for (int d = 0; d < shape.length; d++) {
                p += index[d] * strides[d];
            }
            out[i] = p;
            for (int d = shape.length - 1; d >= 0 && ++index[d] == shape[d]; d--) {
                index[d] = 0;
            }
        }
        return out;
    }

    private static void compare(double[][] numerical, double[][] analytical, int[] inShape, int[] outShape, int output, int input,
                                boolean manyOutputs, double atol, double rtol, String what) {
        int worstI = -1;
        int worstJ = -1;
        double worstExcess = 0;
        int mismatches = 0;
        int entries = 0;
        for (int i = 0; i < numerical.length; i++) {
            for (int j = 0; j < numerical[i].length; j++) {
                entries++;
                double n = numerical[i][j];
                double a = analytical[i][j];
                double allowed = atol + rtol * Math.abs(n);
                double diff = Math.abs(a - n);
                boolean bad = !(diff <= allowed) && !(Double.isNaN(a) && Double.isNaN(n)) && !(a == n);
                if (bad) {
                    mismatches++;
                    double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff - allowed;
                    if (worstI < 0 || excess > worstExcess) {
                        worstExcess = excess;
                        worstI = i;
                        worstJ = j;
                    }
                }
            }
        }
        if (mismatches == 0) {
            return;
        }
        double n = numerical[worstI][worstJ];
        double a = analytical[worstI][worstJ];
        StringBuilder msg = new StringBuilder();
        msg.append(what).append(": Jacobian mismatch for ").append(manyOutputs ? "output " + output + " " : "output ")
                .append("with respect to input ").append(input).append(" at input element ").append(unravel(worstI, inShape))
                .append(", output element ").append(unravel(worstJ, outShape)).append(":\n  numerical ").append(n)
                .append(" vs analytical ").append(a).append(" (difference ").append(Math.abs(a - n)).append(", allowed ")
                .append(atol + rtol * Math.abs(n)).append(" = atol ").append(atol).append(" + rtol ").append(rtol)
                .append(" * |numerical|); ").append(mismatches).append(" of ").append(entries).append(" entries differ");
        if (entries <= MAX_PRINTED_JACOBIAN) {
            msg.append("\nnumerical Jacobian (rows: input elements, columns: output elements):\n")
                    .append(matrix(numerical)).append("\nanalytical Jacobian:\n").append(matrix(analytical));
        }
        throw new GradcheckError(msg.toString());
    }

    private static String unravel(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return Arrays.toString(index);
    }

    private static Tensor matrix(double[][] m) {
        int rows = m.length;
        int cols = rows == 0 ? 0 : m[0].length;
        double[] flat = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(m[i], 0, flat, i * cols, cols);
        }
        return Tensor.wrap(Storage.wrap(flat), rows, cols);
    }
}
