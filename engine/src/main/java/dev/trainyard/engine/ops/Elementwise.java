package dev.trainyard.engine.ops;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Shapes;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Function;
import dev.trainyard.engine.autograd.FunctionCtx;
import dev.trainyard.engine.autograd.GradMode;
import dev.trainyard.engine.backend.BinaryOp;
import dev.trainyard.engine.backend.IntBuffers;
import dev.trainyard.engine.backend.UnaryOp;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Elementwise ops: type promotion, broadcasting and the autograd functions of the unary and binary primitives. */
public final class Elementwise {
    private static final Set<UnaryOp> DTYPE_PRESERVING =
            EnumSet.of(UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SIGN, UnaryOp.RELU, UnaryOp.FLOOR, UnaryOp.CEIL);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private Elementwise() {
    }

    /**
     * {@code torch.result_type}: tensors with dims outrank 0-dim tensors, which outrank Java numbers, unless a lower
     * rank brings a higher category (bool &lt; integer &lt; floating). A Java floating number counts as the default dtype.
     */
    public static DType resultType(Tensor... tensors) {
        DType dimResult = null;
        DType zeroResult = null;
        DType wrappedResult = null;
        for (Tensor t : tensors) {
            if (t.isWrappedNumber()) {
                DType d = t.dtype().isFloatingPoint() ? DType.defaultFloat() : t.dtype();
                wrappedResult = promote(wrappedResult, d);
            } else if (t.dim() == 0) {
                zeroResult = promote(zeroResult, t.dtype());
            } else {
                dimResult = promote(dimResult, t.dtype());
            }
        }
        return combine(dimResult, combine(zeroResult, wrappedResult));
    }

    private static DType promote(DType a, DType b) {
        return a == null ? b : b == null ? a : DType.promote(a, b);
    }

    private static DType combine(DType higher, DType lower) {
        if (higher == null) {
            return lower;
        }
        if (lower == null || higher.isFloatingPoint()) {
            return higher;
        }
        if (higher.isBool() || lower.isFloatingPoint()) {
            return DType.promote(higher, lower);
        }
        return higher;
    }

    public static Tensor cast(Tensor x, DType dtype) {
        if (x.dtype() == dtype) {
            return x;
        }
        if (x.requiresGrad() && dtype.isFloatingPoint()) {
            return new Cast(dtype).apply(x);
        }
        return x.device().kernels().copy(x, dtype);
    }

    public static Tensor unary(UnaryOp op, Tensor x) {
        if (op == UnaryOp.LOGICAL_NOT) {
            return x.device().kernels().unary(op, x);
        }
        Tensor in = DTYPE_PRESERVING.contains(op) ? x : x.to(x.dtype().toFloating());
        if (!in.dtype().isFloatingPoint()) {
            if (in.dtype().isBool() && op == UnaryOp.NEG) {
                throw new IllegalArgumentException("neg: negation, the `-` operator, on a bool tensor is not supported; "
                        + "use logicalNot() instead");
            }
            return in.device().kernels().unary(op, in);
        }
        return new Unary(op).apply(in);
    }

    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        checkDevices(op, a, b);
        DType common = resultType(a, b);
        if (op == BinaryOp.DIV) {
            common = common.toFloating();
        }
        if (op == BinaryOp.SUB && common.isBool()) {
            throw new IllegalArgumentException("sub: subtraction, the `-` operator, with two bool tensors is not supported; "
                    + "use logicalXor() instead");
        }
        Tensor a2 = cast(a, common);
        Tensor b2 = cast(b, common);
        if (!common.isFloatingPoint()) {
            int[] shape = Shapes.broadcast(a.shape(), b.shape(), opName(op));
            return a2.device().kernels().binary(op, a2.expand(shape), b2.expand(shape));
        }
        return new Binary(op).apply(a2, b2);
    }

    /** Comparisons and logical ops: promoted, broadcast, bool result, no gradient. */
    public static Tensor compare(BinaryOp op, Tensor a, Tensor b) {
        checkDevices(op, a, b);
        DType common = resultType(a, b);
        int[] shape = Shapes.broadcast(a.shape(), b.shape(), opName(op));
        Tensor a2 = a.detach().to(common).expand(shape);
        Tensor b2 = b.detach().to(common).expand(shape);
        return a.device().kernels().binary(op, a2, b2);
    }

    public static Tensor where(Tensor condition, Tensor x, Tensor y) {
        if (condition.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("where: expected condition to be a bool tensor, got " + condition.dtype()
                    + "; compare it first (e.g. mask.ne(0))");
        }
        DType common = resultType(x, y);
        return new Where(condition).apply(cast(x, common), cast(y, common));
    }

    /** clamp_min when {@code lower}, clamp_max otherwise; the gradient passes where the bound is not active. */
    public static Tensor clamp(Tensor x, double bound, boolean lower) {
        DType common = resultType(x, Tensor.wrappedScalar(bound));
        Tensor in = cast(x, common);
        if (!common.isFloatingPoint()) {
            Tensor b = Tensor.full(new int[0], bound, common).expand(in.shape());
            return in.device().kernels().binary(lower ? BinaryOp.MAXIMUM : BinaryOp.MINIMUM, in, b);
        }
        return new Clamp(bound, lower).apply(in);
    }

    public static Tensor gelu(Tensor x, String approximate) {
        switch (approximate) {
            case "none" -> {
                return x.mul(x.mul(1.0 / Math.sqrt(2.0)).erf().add(1.0)).mul(0.5);
            }
            case "tanh" -> {
                Tensor inner = x.add(x.pow(3L).mul(0.044715)).mul(SQRT_2_OVER_PI);
                return x.mul(inner.tanh().add(1.0)).mul(0.5);
            }
            default -> throw new IllegalArgumentException("gelu: approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
        }
    }

    public static Tensor softplus(Tensor x, double beta, double threshold) {
        Tensor scaled = x.mul(beta);
        // clamping before exp keeps the unselected branch finite, so its zero gradient stays zero rather than NaN
        Tensor soft = scaled.clampMax(threshold).exp().log1p().div(beta);
        return where(scaled.gt(threshold), x, soft);
    }

    private static void checkDevices(BinaryOp op, Tensor a, Tensor b) {
        if (!a.device().equals(b.device()) && !b.isWrappedNumber() && !a.isWrappedNumber() && a.dim() > 0 && b.dim() > 0) {
            throw new IllegalArgumentException(opName(op) + ": expected all tensors to be on the same device, but found "
                    + a.device() + " and " + b.device());
        }
    }

    /** camelCase names of each op enum's constants, by ordinal: every binary op asks for its name, so it is built once. */
    private static final ClassValue<String[]> OP_NAMES = new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
            Object[] constants = type.getEnumConstants();
            String[] names = new String[constants.length];
            for (int i = 0; i < names.length; i++) {
                names[i] = camelCase(((Enum<?>) constants[i]).name());
            }
            return names;
        }
    };

    static String opName(Enum<?> op) {
        return OP_NAMES.get(op.getDeclaringClass())[op.ordinal()];
    }

    private static String camelCase(String constant) {
        String[] parts = constant.toLowerCase(Locale.ROOT).split("_");
        StringBuilder sb = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            sb.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return sb.toString();
    }

    static String backwardName(Enum<?> op) {
        String n = opName(op);
        return Character.toUpperCase(n.charAt(0)) + n.substring(1) + "Backward0";
    }

    // ------------------------------------------------------------------ autograd functions

    static final class Cast extends Function {
        private final DType dtype;

        Cast(DType dtype) {
            this.dtype = dtype;
        }

        @Override
        public String name() {
            return "ToCopyBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            return new Tensor[] {in[0].device().kernels().copy(in[0], dtype)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            return new Tensor[] {g[0]};
        }
    }

    static final class Unary extends Function {
        private static final Set<UnaryOp> SAVES_OUTPUT = EnumSet.of(UnaryOp.EXP, UnaryOp.EXPM1, UnaryOp.SQRT, UnaryOp.RSQRT,
                UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.RELU, UnaryOp.RECIPROCAL);
        private final UnaryOp op;
        /** relu's record of where its input was positive, for its backward (the kernel's; may be null). */
        private Tensor reluMask;

        Unary(UnaryOp op) {
            this.op = op;
        }

        @Override
        public String name() {
            return backwardName(op);
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0];
            Tensor y;
            if (op == UnaryOp.RELU && ctx.needsInputGrad(0)) {
                Tensor[] outputAndMask = x.device().kernels().reluWithMask(x);
                y = outputAndMask[0];
                reluMask = outputAndMask[1];
                if (reluMask != null) {
                    ctx.onRelease(this::releaseReluMask);
                }
            } else {
                y = x.device().kernels().unary(op, x);
            }
            if (ctx.needsInputGrad(0)) {
                ctx.saveForBackward(SAVES_OUTPUT.contains(op) ? y : x);
            }
            return new Tensor[] {y};
        }

        private void releaseReluMask() {
            if (reluMask.dtype() == DType.INT32) {
                IntBuffers.giveBack(reluMask.storage().ints());
            }
            reluMask = null;
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            Tensor g = grads[0];
            Tensor s = ctx.savedTensors()[0];
            Tensor dx = switch (op) {
                case NEG -> g.neg();
                case EXP -> g.mul(s);
                case LOG -> g.div(s);
                case LOG1P -> g.div(s.add(1.0));
                case EXPM1 -> g.mul(s.add(1.0));
                case SQRT -> g.div(s.mul(2.0));
                case RSQRT -> g.mul(s.pow(3L)).mul(-0.5);
                case ABS -> g.mul(s.sign());
                case SIGN, FLOOR, CEIL -> Tensor.zerosLike(g);
                case SIN -> g.mul(s.cos());
                case COS -> g.mul(s.sin()).neg();
                case TANH -> g.mul(s.mul(s).neg().add(1.0));
                case SIGMOID -> g.mul(s.mul(s.neg().add(1.0)));
                case RELU -> reluBackward(ctx, g, s, reluMask);
                case ERF -> g.mul(s.mul(s).neg().exp().mul(TWO_OVER_SQRT_PI));
                case RECIPROCAL -> g.mul(s.mul(s)).neg();
                case LOGICAL_NOT -> throw new AssertionError("logicalNot has no gradient");
            };
            return new Tensor[] {dx};
        }
    }

    /**
     * PyTorch's {@code threshold_backward(g, output, 0)}: {@code output <= 0 ? +0 : g}, a select, so a zero output gives
     * +0 whatever g holds and a NaN output passes g. Outside a graph being recorded (create_graph) the kernel selects
     * in one pass, from the forward kernel's bit mask when it kept one (1/32 of the output's bytes to read), and into
     * g itself when g is this node's own (the max-pool's or a linear layer's fresh gradient, which nothing else reads).
     */
    private static Tensor reluBackward(FunctionCtx ctx, Tensor g, Tensor s, Tensor mask) {
        if (!GradMode.isEnabled() && g.dtype() == s.dtype() && g.dtype().isFloatingPoint()
                && java.util.Arrays.equals(g.shape(), s.shape())) {
            Tensor dx = g.device().kernels().reluBackward(g, s, mask, ctx.gradientOwned(0));
            ctx.markGradientsOwned(dx);
            return dx;
        }
        return Tensor.where(s.le(0.0), 0.0, g);
    }

    static final class Binary extends Function {
        private final BinaryOp op;

        Binary(BinaryOp op) {
            this.op = op;
        }

        @Override
        public String name() {
            return backwardName(op);
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor a = in[0];
            Tensor b = in[1];
            shapeA = a.shape();
            shapeB = b.shape();
            int[] shape = Shapes.broadcast(a.shape(), b.shape(), opName(op));
            Tensor out = a.device().kernels().binary(op, a.expand(shape), b.expand(shape));
            boolean ga = ctx.needsInputGrad(0);
            boolean gb = ctx.needsInputGrad(1);
            switch (op) {
                case ADD, SUB -> { }
                case MUL -> ctx.saveForBackward(gb ? a : null, ga ? b : null);
                case DIV -> ctx.saveForBackward(gb ? a : null, b, null);
                case POW -> ctx.saveForBackward(a, b, gb ? out : null);
                default -> ctx.saveForBackward(a, b);
            }
            return new Tensor[] {out};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            Tensor g = grads[0];
            boolean needA = ctx.needsInputGrad(0);
            boolean needB = ctx.needsInputGrad(1);
            Tensor[] s = ctx.savedTensors();
            Tensor da = null;
            Tensor db = null;
            switch (op) {
                case ADD -> {
                    da = g;
                    db = g;
                }
                case SUB -> {
                    da = g;
                    db = needB ? g.neg() : null;
                }
                case MUL -> {
                    da = needA ? g.mul(s[1]) : null;
                    db = needB ? g.mul(s[0]) : null;
                }
                case DIV -> {
                    da = needA ? g.div(s[1]) : null;
                    db = needB ? g.mul(s[0]).div(s[1].mul(s[1])).neg() : null;
                }
                case POW -> {
                    Tensor a = s[0];
                    Tensor b = s[1];
                    // a^0 is constant: its gradient is 0 even at a == 0, where b * a^(b-1) would be 0 * inf
                    da = needA ? Tensor.where(b.eq(0.0), Tensor.zeros(new int[0], g.dtype()), g.mul(b).mul(a.pow(b.sub(1.0)))) : null;
                    if (needB) {
                        // d/db a^b = a^b log a, taken as 0 where a == 0 (as PyTorch does for b >= 0)
                        Tensor logA = Tensor.where(a.eq(0.0), Tensor.zerosLike(a), a.log());
                        db = g.mul(s[2]).mul(logA);
                    }
                }
                case REMAINDER -> {
                    da = g;
                    db = needB ? g.mul(s[0].div(s[1]).floor()).neg() : null;
                }
                case MAXIMUM, MINIMUM -> {
                    Tensor a = s[0];
                    Tensor b = s[1];
                    Tensor aWins = op == BinaryOp.MAXIMUM ? a.gt(b) : a.lt(b);
                    Tensor tie = a.eq(b).to(g.dtype()).mul(0.5);
                    Tensor wa = aWins.to(g.dtype()).add(tie);
                    da = needA ? g.mul(wa) : null;
                    db = needB ? g.mul(wa.neg().add(1.0)) : null;
                }
                default -> throw new AssertionError(op + " has no gradient");
            }
            return new Tensor[] {
                    da == null ? null : Reductions.sumToShape(da, inputShape(0)),
                    db == null ? null : Reductions.sumToShape(db, inputShape(1))};
        }

        private int[] shapeA;
        private int[] shapeB;

        private int[] inputShape(int i) {
            return i == 0 ? shapeA : shapeB;
        }
    }

    static final class Where extends Function {
        private final Tensor condition;
        private int[] shapeX;
        private int[] shapeY;

        Where(Tensor condition) {
            this.condition = condition;
        }

        @Override
        public String name() {
            return "WhereBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            shapeX = in[0].shape();
            shapeY = in[1].shape();
            int[] shape = Shapes.broadcast(Shapes.broadcast(condition.shape(), in[0].shape(), "where"), in[1].shape(), "where");
            return new Tensor[] {in[0].device().kernels().where(condition.expand(shape), in[0].expand(shape), in[1].expand(shape))};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            Tensor g = grads[0];
            Tensor zero = Tensor.zeros(new int[0], g.dtype());
            return new Tensor[] {
                    ctx.needsInputGrad(0) ? Reductions.sumToShape(Tensor.where(condition, g, zero), shapeX) : null,
                    ctx.needsInputGrad(1) ? Reductions.sumToShape(Tensor.where(condition, zero, g), shapeY) : null};
        }
    }

    static final class Clamp extends Function {
        private final double bound;
        private final boolean lower;

        Clamp(double bound, boolean lower) {
            this.bound = bound;
            this.lower = lower;
        }

        @Override
        public String name() {
            return lower ? "ClampMinBackward0" : "ClampMaxBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0];
            Tensor b = Tensor.full(new int[0], bound, x.dtype()).expand(x.shape());
            ctx.saveForBackward(x);
            return new Tensor[] {x.device().kernels().binary(lower ? BinaryOp.MAXIMUM : BinaryOp.MINIMUM, x, b)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            Tensor x = ctx.savedTensors()[0];
            Tensor pass = lower ? x.ge(bound) : x.le(bound);
            return new Tensor[] {grads[0].mul(pass)};
        }
    }
}
