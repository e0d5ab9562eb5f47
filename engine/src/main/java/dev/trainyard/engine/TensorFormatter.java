package dev.trainyard.engine;

import dev.trainyard.engine.backend.Storage;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints tensors as PyTorch does ({@code torch/_tensor_str.py} with the default print options: precision 4,
 * threshold 1000, edge items 3, line width 80), e.g.
 *
 * <pre>
 * tensor([[1.0000, 2.5000],
 *         [3.0000, 4.0000]], dtype=torch.float64, requires_grad=True)
 * </pre>
 *
 * Floats are all printed in one notation chosen from the nonzero finite values: integers as {@code 1.}, fixed with 4
 * decimals, or scientific when the largest is over 1e8, the ratio of largest to smallest over 1000, or (for non-integers)
 * the smallest below 1e-4. Numbers are rounded from their exact binary value, half to even, as Python's format does.
 */
final class TensorFormatter {
    private static final int PRECISION = 4;
    private static final int THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;
    private static final int LINE_WIDTH = 80;
    private static final String PREFIX = "tensor(";

    private TensorFormatter() {
    }

    static String format(Tensor t) {
        int indent = PREFIX.length();
        List<String> suffixes = new ArrayList<>();
        if (!t.device().equals(Device.CPU)) {
            suffixes.add("device='" + t.device() + "'");
        }
        DType dtype = t.dtype();
        String body;
        if (t.numel() == 0) {
            int[] shape = t.shape();
            if (shape.length != 1) {
                StringBuilder size = new StringBuilder("size=(");
                for (int d = 0; d < shape.length; d++) {
                    size.append(d == 0 ? "" : ", ").append(shape[d]);
                }
                suffixes.add(size.append(")").toString());
            }
            // with no elements to show, only the default float dtype goes without saying
            if (dtype != DType.defaultFloat()) {
                suffixes.add("dtype=torch." + dtype.pyName());
            }
            body = "[]";
        } else {
            if (dtype != DType.defaultFloat() && dtype != DType.INT64 && dtype != DType.BOOL) {
                suffixes.add("dtype=torch." + dtype.pyName());
            }
            body = new Shown(t).render(indent);
        }
        if (t.gradFn() != null) {
            suffixes.add("grad_fn=<" + t.gradFn().name() + ">");
        } else if (t.requiresGrad()) {
            suffixes.add("requires_grad=True");
        }
        return addSuffixes(PREFIX + body, suffixes, indent);
    }

    private static String addSuffixes(String tensorStr, List<String> suffixes, int indent) {
        StringBuilder out = new StringBuilder(tensorStr);
        int lastLineLength = tensorStr.length() - tensorStr.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLineLength + suffix.length() + 2 > LINE_WIDTH) {
                out.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLineLength = indent + suffix.length();
            } else {
                out.append(", ").append(suffix);
                lastLineLength += suffix.length() + 2;
            }
        }
        return out.append(')').toString();
    }

    /**
     * The elements that will be printed, gathered densely: all of them, or when summarizing (more than 1000 elements)
     * the first and last 3 along every dim longer than 6, with a {@code ...} between them.
     */
    private static final class Shown {
        private final int[] shape;
        /** Whether dim d is cut, so its displayed positions are 0, 1, 2, size-3, size-2, size-1 with "..." in the middle. */
        private final boolean[] cut;
        private final int[] strides;
        private final boolean floating;
        private final boolean bool;
        private final double[] doubles;
        private final long[] longs;
        private final ValueFormat fmt;

        Shown(Tensor t) {
            int[] full = t.shape();
            int nd = full.length;
            boolean summarize = t.numel() > THRESHOLD;
            shape = new int[nd];
            cut = new boolean[nd];
            int[][] positions = new int[nd][];
            for (int d = 0; d < nd; d++) {
                int size = full[d];
                cut[d] = summarize && size > 2 * EDGE_ITEMS;
                if (cut[d]) {
                    positions[d] = new int[2 * EDGE_ITEMS];
                    for (int i = 0; i < EDGE_ITEMS; i++) {
                        positions[d][i] = i;
                        positions[d][EDGE_ITEMS + i] = size - EDGE_ITEMS + i;
                    }
                } else {
                    positions[d] = new int[size];
                    for (int i = 0; i < size; i++) {
                        positions[d][i] = i;
                    }
                }
                shape[d] = positions[d].length;
            }
            strides = Shapes.contiguousStrides(shape);
            int n = Shapes.numel(shape);
            int[] storageIndex = new int[n];
            int[] tensorStrides = t.stride();
            int[] index = new int[nd];
            for (int k = 0; k < n; k++) {
                int p = t.storageOffset();
                for (int d = 0; d < nd; d++) {
                    p += positions[d][index[d]] * tensorStrides[d];
                }
                storageIndex[k] = p;
                for (int d = nd - 1; d >= 0 && ++index[d] == shape[d]; d--) {
                    index[d] = 0;
                }
            }
            Storage storage = t.storage();
            floating = t.dtype().isFloatingPoint();
            bool = t.dtype().isBool();
            if (floating) {
                doubles = new double[n];
                for (int k = 0; k < n; k++) {
                    doubles[k] = storage.getDouble(storageIndex[k]);
                }
                longs = null;
                fmt = ValueFormat.forFloats(doubles);
            } else {
                longs = new long[n];
                for (int k = 0; k < n; k++) {
                    longs[k] = storage.getLong(storageIndex[k]);
                }
                doubles = null;
                int width = 1;
                for (long v : longs) {
                    width = Math.max(width, plain(v).length());
                }
                fmt = ValueFormat.forIntegers(width);
            }
        }

        private String plain(long v) {
            return bool ? (v != 0 ? "True" : "False") : Long.toString(v);
        }

        private String element(int k) {
            String s = floating ? fmt.format(doubles[k]) : plain(longs[k]);
            return " ".repeat(Math.max(0, fmt.width - s.length())) + s;
        }

        String render(int indent) {
            return shape.length == 0 ? element(0) : render(0, 0, indent);
        }

        /** {@code _tensor_str_with_formatter}: the sub-tensor at {@code start} made of dims {@code dim..}. */
        private String render(int dim, int start, int indent) {
            int nd = shape.length;
            if (dim == nd - 1) {
                return vector(start, indent);
            }
            List<String> slices = new ArrayList<>();
            for (int i = 0; i < shape[dim]; i++) {
                if (cut[dim] && i == EDGE_ITEMS) {
                    slices.add("...");
                }
                slices.add(render(dim + 1, start + i * strides[dim], indent + 1));
            }
            String separator = "," + "\n".repeat(nd - dim - 1) + " ".repeat(indent + 1);
            return "[" + String.join(separator, slices) + "]";
        }

        /** {@code _vector_str}: as many elements per line as fit in the line width. */
        private String vector(int start, int indent) {
            int dim = shape.length - 1;
            int perLine = Math.max(1, (LINE_WIDTH - indent) / (fmt.width + 2));
            List<String> data = new ArrayList<>();
            for (int i = 0; i < shape[dim]; i++) {
                if (cut[dim] && i == EDGE_ITEMS) {
                    data.add(" ...");
                }
                data.add(element(start + i));
            }
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < data.size(); i += perLine) {
                lines.add(String.join(", ", data.subList(i, Math.min(data.size(), i + perLine))));
            }
            return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
        }
    }

    /** {@code _Formatter}: one notation and one width for all printed elements. */
    private static final class ValueFormat {
        enum Mode { INTEGER, FIXED, SCIENTIFIC, PLAIN }

        final Mode mode;
        final int width;

        private ValueFormat(Mode mode, int width) {
            this.mode = mode;
            this.width = width;
        }

        static ValueFormat forIntegers(int width) {
            return new ValueFormat(Mode.PLAIN, width);
        }

        static ValueFormat forFloats(double[] values) {
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            boolean intMode = true;
            int count = 0;
            for (double v : values) {
                if (v == 0 || !Double.isFinite(v)) {
                    continue;
                }
                count++;
                min = Math.min(min, Math.abs(v));
                max = Math.max(max, Math.abs(v));
                intMode &= v == Math.ceil(v);
            }
            if (count == 0) {
                // nothing but zeros, infinities and NaN: integer style ("0.", "inf"), width from the default of 1
                return new ValueFormat(Mode.INTEGER, 1);
            }
            Mode mode;
            if (intMode) {
                mode = max / min > 1000 || max > 1e8 ? Mode.SCIENTIFIC : Mode.INTEGER;
            } else {
                mode = max / min > 1000 || max > 1e8 || min < 1e-4 ? Mode.SCIENTIFIC : Mode.FIXED;
            }
            ValueFormat probe = new ValueFormat(mode, 0);
            int width = 1;
            for (double v : values) {
                if (v != 0 && Double.isFinite(v)) {
                    // integer style counts the "." that format() appends
                    width = Math.max(width, probe.format(v).length());
                }
            }
            return new ValueFormat(mode, width);
        }

        /** The value without padding, as Python's {@code '{:.4f}'}, {@code '{:.4e}'} or {@code '{:.0f}' + '.'}. */
        String format(double v) {
            if (Double.isNaN(v)) {
                return "nan";
            }
            if (Double.isInfinite(v)) {
                return v > 0 ? "inf" : "-inf";
            }
            String sign = (Double.doubleToRawLongBits(v) < 0) ? "-" : "";
            BigDecimal abs = new BigDecimal(Math.abs(v));
            return sign + switch (mode) {
                case INTEGER -> abs.setScale(0, RoundingMode.HALF_EVEN).toPlainString() + ".";
                case FIXED -> abs.setScale(PRECISION, RoundingMode.HALF_EVEN).toPlainString();
                case SCIENTIFIC -> scientific(abs);
                case PLAIN -> throw new AssertionError("integers are formatted by the caller");
            };
        }

        private static String scientific(BigDecimal abs) {
            if (abs.signum() == 0) {
                return "0." + "0".repeat(PRECISION) + "e+00";
            }
            BigDecimal rounded = abs.round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
            String digits = rounded.unscaledValue().toString();
            int exponent = digits.length() - 1 - rounded.scale();
            digits = (digits + "0".repeat(PRECISION + 1)).substring(0, PRECISION + 1);
            String exp = Integer.toString(Math.abs(exponent));
            return digits.charAt(0) + "." + digits.substring(1) + "e" + (exponent < 0 ? "-" : "+")
                    + (exp.length() < 2 ? "0" : "") + exp;
        }
    }
}
