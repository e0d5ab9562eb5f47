package dev.trainyard.engine.conformance;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.ValuesIndices;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The op table: fixture op name to a call of the engine's API. It mirrors {@code OPS} in gen_fixtures.py (same
 * names, same argument keys). An op returns a {@link Tensor}, a {@link ValuesIndices} or a {@code List<Tensor>};
 * {@link #outputs} flattens those in the order the fixtures list them.
 */
final class Ops {

    @FunctionalInterface
    interface Op {
        Object apply(List<Tensor> in, Args a);
    }

    @FunctionalInterface
    interface WithDouble {
        Tensor apply(Tensor t, double v);
    }

    @FunctionalInterface
    interface WithLong {
        Tensor apply(Tensor t, long v);
    }

    private static final Map<String, Op> OPS = new HashMap<>();

    private Ops() {
    }

    static Op get(String name) {
        Op op = OPS.get(name);
        if (op == null) {
            throw new IllegalArgumentException("no op '" + name + "' in the conformance op table (Ops.java)");
        }
        return op;
    }

    static boolean has(String name) {
        return OPS.containsKey(name);
    }

    static List<Tensor> outputs(Object result) {
        if (result instanceof Tensor t) {
            return List.of(t);
        }
        if (result instanceof ValuesIndices vi) {
            return List.of(vi.values(), vi.indices());
        }
        if (result instanceof List<?> list) {
            List<Tensor> out = new ArrayList<>();
            for (Object o : list) {
                out.add((Tensor) o);
            }
            return out;
        }
        throw new IllegalStateException("op returned " + (result == null ? "null" : result.getClass().getName()));
    }

    private static void put(String name, Op op) {
        if (OPS.put(name, op) != null) {
            throw new IllegalStateException("duplicate op " + name);
        }
    }

    private static void unary(String name, Function<Tensor, Tensor> f) {
        put(name, (in, a) -> f.apply(in.get(0)));
    }

    /** A binary op with (Tensor), (double) and (long) overloads: Python tensor, float or int second operand. */
    private static void binary(String name, BiFunction<Tensor, Tensor, Tensor> tensor, WithDouble dbl, WithLong lng) {
        put(name, (in, a) -> {
            if (a.hasScalar()) {
                if (a.scalarIsFloat()) {
                    return dbl.apply(in.get(0), a.scalarDouble());
                }
                if (lng == null) {
                    throw new IllegalArgumentException(name + " has no long overload; fixture passes an int scalar");
                }
                return lng.apply(in.get(0), a.scalarLong());
            }
            return tensor.apply(in.get(0), in.get(1));
        });
    }

    private static int[] allDims(Tensor x) {
        int[] d = new int[x.dim()];
        for (int k = 0; k < d.length; k++) {
            d[k] = k;
        }
        return d;
    }

    static {
        // -------------------------------------------------------------- elementwise
        binary("add", Tensor::add, Tensor::add, Tensor::add);
        binary("sub", Tensor::sub, Tensor::sub, Tensor::sub);
        binary("mul", Tensor::mul, Tensor::mul, Tensor::mul);
        binary("div", Tensor::div, Tensor::div, Tensor::div);
        binary("pow", Tensor::pow, Tensor::pow, Tensor::pow);
        binary("remainder", Tensor::remainder, Tensor::remainder, Tensor::remainder);
        binary("eq", Tensor::eq, Tensor::eq, null);
        binary("ne", Tensor::ne, Tensor::ne, null);
        binary("lt", Tensor::lt, Tensor::lt, null);
        binary("le", Tensor::le, Tensor::le, null);
        binary("gt", Tensor::gt, Tensor::gt, null);
        binary("ge", Tensor::ge, Tensor::ge, null);
        put("maximum", (in, a) -> in.get(0).maximum(in.get(1)));
        put("minimum", (in, a) -> in.get(0).minimum(in.get(1)));
        put("logicalAnd", (in, a) -> in.get(0).logicalAnd(in.get(1)));
        put("logicalOr", (in, a) -> in.get(0).logicalOr(in.get(1)));
        unary("logicalNot", Tensor::logicalNot);
        unary("neg", Tensor::neg);
        unary("exp", Tensor::exp);
        unary("log", Tensor::log);
        unary("log1p", Tensor::log1p);
        unary("sqrt", Tensor::sqrt);
        unary("rsqrt", Tensor::rsqrt);
        unary("abs", Tensor::abs);
        unary("sign", Tensor::sign);
        unary("sin", Tensor::sin);
        unary("cos", Tensor::cos);
        unary("tanh", Tensor::tanh);
        unary("sigmoid", Tensor::sigmoid);
        unary("relu", Tensor::relu);
        unary("silu", Tensor::silu);
        unary("erf", Tensor::erf);
        put("gelu", (in, a) -> a.has("approximate") ? in.get(0).gelu(a.s("approximate")) : in.get(0).gelu());
        put("softplus", (in, a) -> a.has("beta")
                ? in.get(0).softplus(a.d("beta"), a.d("threshold"))
                : in.get(0).softplus());
        put("clamp", (in, a) -> in.get(0).clamp(a.d("min"), a.d("max")));
        put("clampMin", (in, a) -> in.get(0).clampMin(a.d("min")));
        put("clampMax", (in, a) -> in.get(0).clampMax(a.d("max")));
        put("where", (in, a) -> Tensor.where(in.get(0), in.get(1), in.get(2)));
        put("to", (in, a) -> in.get(0).to(DType.fromName(a.s("dtype"))));

        // -------------------------------------------------------------- reductions
        put("sum", (in, a) -> {
            Tensor x = in.get(0);
            if (a.has("dims")) {
                return x.sum(a.ints("dims"), a.b("keepdim"));
            }
            if (a.has("dim")) {
                return a.has("keepdim") ? x.sum(a.i("dim"), a.b("keepdim")) : x.sum(a.i("dim"));
            }
            return x.sum();
        });
        put("mean", (in, a) -> {
            Tensor x = in.get(0);
            if (a.has("dims")) {
                return x.mean(a.ints("dims"), a.b("keepdim"));
            }
            if (a.has("dim")) {
                return a.has("keepdim") ? x.mean(a.i("dim"), a.b("keepdim")) : x.mean(a.i("dim"));
            }
            return x.mean();
        });
        put("amax", (in, a) -> {
            Tensor x = in.get(0);
            if (a.has("dims")) {
                return x.amax(a.ints("dims"), a.b("keepdim"));
            }
            if (a.has("dim")) {
                return a.has("keepdim") ? x.amax(a.i("dim"), a.b("keepdim")) : x.amax(a.i("dim"));
            }
            return x.amax();
        });
        put("amin", (in, a) -> {
            Tensor x = in.get(0);
            if (a.has("dims")) {
                return x.amin(a.ints("dims"), a.b("keepdim"));
            }
            if (a.has("dim")) {
                return a.has("keepdim") ? x.amin(a.i("dim"), a.b("keepdim")) : x.amin(a.i("dim"));
            }
            return x.amin();
        });
        put("logsumexp", (in, a) -> {
            Tensor x = in.get(0);
            if (a.has("dims")) {
                return x.logsumexp(a.ints("dims"), a.b("keepdim"));
            }
            if (a.has("dim")) {
                return a.has("keepdim") ? x.logsumexp(a.i("dim"), a.b("keepdim")) : x.logsumexp(a.i("dim"));
            }
            return x.logsumexp(allDims(x), false);
        });
        put("prod", (in, a) -> a.has("dim") ? in.get(0).prod(a.i("dim"), a.b("keepdim")) : in.get(0).prod());
        put("max", (in, a) -> a.has("dim") ? in.get(0).max(a.i("dim"), a.b("keepdim")) : in.get(0).max());
        put("min", (in, a) -> a.has("dim") ? in.get(0).min(a.i("dim"), a.b("keepdim")) : in.get(0).min());
        put("argmax", (in, a) -> a.has("dim") ? in.get(0).argmax(a.i("dim"), a.b("keepdim")) : in.get(0).argmax());
        put("argmin", (in, a) -> a.has("dim") ? in.get(0).argmin(a.i("dim"), a.b("keepdim")) : in.get(0).argmin());
        put("all", (in, a) -> a.has("dim") ? in.get(0).all(a.i("dim"), a.b("keepdim")) : in.get(0).all());
        put("any", (in, a) -> a.has("dim") ? in.get(0).any(a.i("dim"), a.b("keepdim")) : in.get(0).any());
        put("var", (in, a) -> a.has("dims")
                ? in.get(0).var(a.ints("dims"), a.d("correction"), a.b("keepdim"))
                : in.get(0).var());
        put("std", (in, a) -> a.has("dims")
                ? in.get(0).std(a.ints("dims"), a.d("correction"), a.b("keepdim"))
                : in.get(0).std());
        put("norm", (in, a) -> {
            if (a.has("dims")) {
                return in.get(0).norm(a.d("p"), a.ints("dims"), a.b("keepdim"));
            }
            return a.has("p") ? in.get(0).norm(a.d("p")) : in.get(0).norm();
        });
        put("softmax", (in, a) -> in.get(0).softmax(a.i("dim")));
        put("logSoftmax", (in, a) -> in.get(0).logSoftmax(a.i("dim")));
        put("cumsum", (in, a) -> in.get(0).cumsum(a.i("dim")));

        // -------------------------------------------------------------- linear algebra
        put("matmul", (in, a) -> in.get(0).matmul(in.get(1)));
        put("mm", (in, a) -> in.get(0).mm(in.get(1)));
        put("bmm", (in, a) -> in.get(0).bmm(in.get(1)));
        put("dot", (in, a) -> in.get(0).dot(in.get(1)));
        put("outer", (in, a) -> in.get(0).outer(in.get(1)));

        // -------------------------------------------------------------- indexing
        put("gather", (in, a) -> in.get(0).gather(a.i("dim"), in.get(1)));
        put("scatter", (in, a) -> a.has("value")
                ? in.get(0).scatter(a.i("dim"), in.get(1), a.d("value"))
                : in.get(0).scatter(a.i("dim"), in.get(1), in.get(2)));
        put("scatterAdd", (in, a) -> in.get(0).scatterAdd(a.i("dim"), in.get(1), in.get(2)));
        put("indexSelect", (in, a) -> in.get(0).indexSelect(a.i("dim"), in.get(1)));
        put("maskedFill", (in, a) -> in.get(0).maskedFill(in.get(1), a.d("value")));
        put("maskedSelect", (in, a) -> in.get(0).maskedSelect(in.get(1)));
        put("index", (in, a) -> in.get(0).index(in.subList(1, in.size()).toArray(new Tensor[0])));
        put("cat", (in, a) -> Tensor.cat(in, a.i("dim")));
        put("stack", (in, a) -> Tensor.stack(in, a.i("dim")));
        put("split", (in, a) -> a.has("sizes")
                ? in.get(0).split(a.ints("sizes"), a.i("dim"))
                : in.get(0).split(a.i("size"), a.i("dim")));
        put("chunk", (in, a) -> in.get(0).chunk(a.i("chunks"), a.i("dim")));
        put("sort", (in, a) -> in.get(0).sort(a.i("dim"), a.b("descending")));
        put("topk", (in, a) -> in.get(0).topk(a.i("k"), a.i("dim"), a.b("largest"), a.b("sorted")));
        put("oneHot", (in, a) -> in.get(0).oneHot(a.i("num_classes")));

        // -------------------------------------------------------------- views
        put("view", (in, a) -> in.get(0).view(a.ints("shape")));
        put("reshape", (in, a) -> in.get(0).reshape(a.ints("shape")));
        put("transpose", (in, a) -> in.get(0).transpose(a.i("dim0"), a.i("dim1")));
        put("permute", (in, a) -> in.get(0).permute(a.ints("dims")));
        put("t", (in, a) -> in.get(0).t());
        put("squeeze", (in, a) -> a.has("dim") ? in.get(0).squeeze(a.i("dim")) : in.get(0).squeeze());
        put("unsqueeze", (in, a) -> in.get(0).unsqueeze(a.i("dim")));
        put("expand", (in, a) -> in.get(0).expand(a.ints("shape")));
        put("narrow", (in, a) -> in.get(0).narrow(a.i("dim"), a.i("start"), a.i("length")));
        put("select", (in, a) -> in.get(0).select(a.i("dim"), a.i("index")));
        put("slice", (in, a) -> in.get(0).slice(a.i("dim"), a.i("start"), a.i("end"), a.i("step")));
        put("flatten", (in, a) -> a.has("start") ? in.get(0).flatten(a.i("start"), a.i("end")) : in.get(0).flatten());
        put("unflatten", (in, a) -> in.get(0).unflatten(a.i("dim"), a.ints("sizes")));
        put("contiguous", (in, a) -> in.get(0).contiguous());
    }
}
