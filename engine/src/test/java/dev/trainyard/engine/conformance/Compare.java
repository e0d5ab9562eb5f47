package dev.trainyard.engine.conformance;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.conformance.Fixtures.TensorData;
import dev.trainyard.engine.conformance.Fixtures.Tol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Compares engine tensors with fixture tensors and describes every difference. Floats pass when
 * {@code |a - b| <= atol + rtol * |b|} (NaN equals NaN, infinities must match exactly); integers and bools must be
 * exactly equal.
 */
final class Compare {

    /** float32: 1e-5 relative plus a tiny absolute floor for values near zero. */
    static final Tol FLOAT32 = new Tol(1e-5, 1e-6);
    static final Tol FLOAT64 = new Tol(1e-12, 1e-12);

    private Compare() {
    }

    static Tol tolFor(DType dtype, Tol override) {
        Tol base = dtype == DType.FLOAT64 ? FLOAT64 : FLOAT32;
        if (override == null) {
            return base;
        }
        return new Tol(Math.max(base.rtol(), override.rtol()), Math.max(base.atol(), override.atol()));
    }

    /** Values of an engine tensor in row-major order, read in the category of {@code as}. */
    record Values(double[] d, long[] l, boolean[] b) {
        static Values of(Tensor t, DType as) {
            if (as.isFloatingPoint()) {
                return new Values(t.toDoubleArray(), null, null);
            }
            if (as.isBool()) {
                return new Values(null, null, t.toBooleanArray());
            }
            return new Values(null, t.toLongArray(), null);
        }

        static Values of(TensorData t) {
            if (t.dtype().isFloatingPoint()) {
                return new Values(Fixtures.doubles(t), null, null);
            }
            if (t.dtype().isBool()) {
                return new Values(null, null, Fixtures.booleans(t));
            }
            return new Values(null, Fixtures.longs(t), null);
        }

        Values permuted(int[] perm) {
            if (d != null) {
                double[] o = new double[d.length];
                for (int i = 0; i < o.length; i++) {
                    o[i] = d[perm[i]];
                }
                return new Values(o, null, null);
            }
            if (l != null) {
                long[] o = new long[l.length];
                for (int i = 0; i < o.length; i++) {
                    o[i] = l[perm[i]];
                }
                return new Values(null, o, null);
            }
            boolean[] o = new boolean[b.length];
            for (int i = 0; i < o.length; i++) {
                o[i] = b[perm[i]];
            }
            return new Values(null, null, o);
        }
    }

    /**
     * Checks dtype, shape and values of {@code actual} against {@code expected}; adds one line per difference to
     * {@code problems}, each starting with {@code what}. {@code perms} (may be null) reorders actual and expected
     * values before comparing (for outputs in unspecified order).
     */
    static void tensor(String what, Tensor actual, TensorData expected, Tol override, List<String> problems,
                       int[] actualPerm, int[] expectedPerm) {
        if (actual == null) {
            problems.add(what + " is null, expected " + describe(expected));
            return;
        }
        if (actual.dtype() != expected.dtype()) {
            problems.add(what + " dtype " + actual.dtype() + ", expected " + expected.dtype());
        }
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            problems.add(what + " shape " + Arrays.toString(actual.shape()) + ", expected "
                    + Arrays.toString(expected.shape()));
            return;
        }
        Values a;
        try {
            a = Values.of(actual, expected.dtype());
        } catch (RuntimeException e) {
            problems.add(what + " reading values threw " + ConformanceTest.brief(e));
            return;
        }
        Values e = Values.of(expected);
        if (actualPerm != null) {
            a = a.permuted(actualPerm);
            e = e.permuted(expectedPerm);
        }
        values(what, a, e, expected.shape(), tolFor(expected.dtype(), override), problems);
    }

    static void values(String what, Values a, Values e, int[] shape, Tol tol, List<String> problems) {
        int n = e.d != null ? e.d.length : e.l != null ? e.l.length : e.b.length;
        int an = a.d != null ? a.d.length : a.l != null ? a.l.length : a.b.length;
        if (an != n) {
            problems.add(what + " has " + an + " values, expected " + n);
            return;
        }
        int bad = 0;
        int worst = -1;
        double worstRatio = 0;
        double worstRel = 0;
        for (int i = 0; i < n; i++) {
            if (e.d != null) {
                double x = a.d[i];
                double y = e.d[i];
                if (Double.isNaN(y) || Double.isNaN(x) || Double.isInfinite(y) || Double.isInfinite(x)) {
                    boolean same = Double.isNaN(x) ? Double.isNaN(y) : x == y;
                    if (!same) {
                        bad++;
                        if (worstRatio != Double.POSITIVE_INFINITY) {
                            worstRatio = Double.POSITIVE_INFINITY;
                            worstRel = Double.POSITIVE_INFINITY;
                            worst = i;
                        }
                    }
                    continue;
                }
                double err = Math.abs(x - y);
                double allowed = tol.atol() + tol.rtol() * Math.abs(y);
                if (err > allowed) {
                    bad++;
                    double ratio = err / allowed;
                    if (ratio > worstRatio) {
                        worstRatio = ratio;
                        worstRel = err / Math.max(Math.abs(y), Double.MIN_NORMAL);
                        worst = i;
                    }
                }
            } else if (e.l != null) {
                if (a.l[i] != e.l[i]) {
                    if (bad++ == 0) {
                        worst = i;
                    }
                }
            } else if (a.b[i] != e.b[i]) {
                if (bad++ == 0) {
                    worst = i;
                }
            }
        }
        if (bad == 0) {
            return;
        }
        String at = Arrays.toString(unravel(worst, shape));
        if (e.d != null) {
            problems.add(String.format(Locale.ROOT, "%s max rel err %.2e at %s (got %s, expected %s; %d of %d values off, "
                            + "rtol %.0e atol %.0e)", what, worstRel, at, num(a.d[worst]), num(e.d[worst]), bad, n,
                    tol.rtol(), tol.atol()));
        } else if (e.l != null) {
            problems.add(what + " differs at " + at + " (got " + a.l[worst] + ", expected " + e.l[worst] + "; " + bad
                    + " of " + n + " values off)" + (n <= 24 ? " got " + Arrays.toString(a.l) + " expected "
                    + Arrays.toString(e.l) : ""));
        } else {
            problems.add(what + " differs at " + at + " (got " + a.b[worst] + ", expected " + e.b[worst] + "; " + bad
                    + " of " + n + " values off)" + (n <= 24 ? " got " + Arrays.toString(a.b) + " expected "
                    + Arrays.toString(e.b) : ""));
        }
    }

    /** True if every value of t is zero (an acceptable stand-in for an unused input's null gradient). */
    static boolean allZero(Tensor t) {
        for (double v : t.toDoubleArray()) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int k = shape.length - 1; k >= 0; k--) {
            if (shape[k] > 0) {
                idx[k] = flat % shape[k];
                flat /= shape[k];
            }
        }
        return idx;
    }

    /**
     * For outputs whose order along the last dim is unspecified (topk sorted=False): the permutation that sorts each
     * last-dim row by the given indices.
     */
    static int[] rowSortPerm(long[] indices, int[] shape) {
        int n = indices.length;
        int row = shape.length == 0 ? 1 : shape[shape.length - 1];
        Integer[] perm = new Integer[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int start = 0; start + row <= n && row > 0; start += row) {
            Arrays.sort(perm, start, start + row, (p, q) -> Long.compare(indices[p], indices[q]));
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = perm[i];
        }
        return out;
    }

    static String describe(TensorData t) {
        return t.dtype() + Arrays.toString(t.shape());
    }

    static String describe(Tensor t) {
        return t == null ? "null" : t.dtype() + Arrays.toString(t.shape());
    }

    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
            return Double.toString(v);
        }
        return String.format(Locale.ROOT, "%.9g", v);
    }

    static List<String> newProblems() {
        return new ArrayList<>();
    }
}
