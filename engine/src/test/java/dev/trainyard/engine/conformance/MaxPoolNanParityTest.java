package dev.trainyard.engine.conformance;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.ValuesIndices;
import dev.trainyard.engine.nn.F;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;

import static dev.trainyard.engine.DType.FLOAT32;
import static dev.trainyard.engine.DType.FLOAT64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Max-pool windows holding several NaNs, as PyTorch 1.13's CPU max_pool2d scans them ({@code val > maxval ||
 * isnan(val)} in row-major order): the first maximum, or the LAST NaN, its index and its payload as the value; and the
 * gradient goes to that index. The inputs hold NaNs of distinct payloads and both signs, infinities, signed zeros and
 * ties; the shapes take the 2 x 2 vector kernel's two lane layouts and its scalar tail, the gathered-window kernel, the
 * padded and ceil-mode scan and float64. The expected indices and value bits were printed once by
 * engine/src/test/python/gen_maxpool_nan_expected.py (PyTorch 1.13, CPU) and pasted below. The plain Java kernels run
 * it too (the surefire parity executions).
 */
class MaxPoolNanParityTest {

    /** An input from {@link #hashBits} (or {@code NAMED}) pooled with a square kernel; PyTorch's indices and bits. */
    record Case(String name, DType dtype, int[] shape, int kernel, int stride, int padding, boolean ceil,
                long[] indices, long[] bits) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Six 2 x 2 windows side by side (top row, then bottom): [[nan 1, nan 2], [1, 2]], [[nan 3, 1], [nan 4, 2]], all
     * NaN, [[-inf, inf], [inf, 1]], all -inf, [[nan 5, inf], [1, 2]].
     */
    private static final int[] NAMED = {
            0x7fc00001, 0x7fc00002, 0x7fc00003, 0x3f800000, 0x7fc00005, 0x7fc00006, 0xff800000, 0x7f800000,
            0xff800000, 0xff800000, 0x7fc00007, 0x7f800000,
            0x3f800000, 0x40000000, 0x7fc00004, 0x40000000, 0x7fc00008, 0xffc00009, 0x7f800000, 0x3f800000,
            0xff800000, 0xff800000, 0x3f800000, 0x40000000};

    static final List<Case> CASES = List.of(
            new Case("namedWindows", FLOAT32, new int[] {1, 1, 2, 12}, 2, 2, 0, false,
                    new long[] {
                            1, 14, 17, 7, 8, 10
                    },
                    new long[] {
                            0x7fc00002L, 0x7fc00004L, 0xffc00009L, 0x7f800000L, 0xff800000L, 0x7fc00007L
                    }),
            new Case("twoRowsOfAVector", FLOAT32, new int[] {1, 2, 11, 11}, 2, 2, 0, false,
                    new long[] {
                            12, 14, 4, 18, 20, 22, 35, 37, 28, 41, 55, 57, 59, 61, 63, 67, 69, 81, 73, 75, 100, 90, 104,
                            106, 108, 1, 3, 15, 18, 9, 34, 24, 38, 40, 42, 56, 46, 48, 62, 64, 66, 79, 81, 73, 85, 99,
                            101, 103, 105, 97
                    },
                    new long[] {
                            0x7fc0000cL, 0xffc0000eL, 0x7fc00004L, 0x7fc00012L, 0xffc00014L, 0x7f800000L, 0x3f800000L,
                            0x7fc00025L, 0x7f800000L, 0x3f800000L, 0xffc00037L, 0x7fc00039L, 0x7fc0003bL, 0x7fc0003dL,
                            0xffc0003fL, 0x7fc00043L, 0xffc00045L, 0xffc00051L, 0x7fc00049L, 0xffc0004bL, 0x7fc00064L,
                            0x3f800000L, 0x7fc00068L, 0x7fc0006aL, 0x7fc0006cL, 0x7fc0007aL, 0xffc0007cL, 0xffc00088L,
                            0x7fc0008bL, 0xffc00082L, 0x7fc0009bL, 0x3f800000L, 0x7fc0009fL, 0x7fc000a1L, 0x7fc000a3L,
                            0xffc000b1L, 0x7fc000a7L, 0x7fc000a9L, 0x7fc000b7L, 0xffc000b9L, 0x7f800000L, 0x7fc000c8L,
                            0x7fc000caL, 0x7fc000c2L, 0x3f800000L, 0xffc000dcL, 0x7fc000deL, 0x7fc000e0L, 0xffc000e2L,
                            0x7fc000daL
                    }),
            new Case("oneRowOfAVector", FLOAT32, new int[] {1, 1, 6, 26}, 2, 2, 0, false,
                    new long[] {
                            26, 2, 4, 6, 8, 37, 12, 14, 43, 45, 20, 49, 51, 53, 81, 57, 59, 61, 63, 65, 92, 69, 71, 98,
                            100, 77, 130, 106, 108, 136, 139, 114, 116, 118, 147, 122, 124, 153, 155
                    },
                    new long[] {
                            0xffc0001aL, 0x7fc00002L, 0x7fc00004L, 0x7fc00006L, 0xffc00008L, 0x7fc00025L, 0x7fc0000cL,
                            0xffc0000eL, 0x7fc0002bL, 0x7fc0002dL, 0xffc00014L, 0x7fc00031L, 0x7fc00033L, 0x7fc00035L,
                            0xffc00051L, 0x7fc00039L, 0x7fc0003bL, 0x7fc0003dL, 0xffc0003fL, 0x7fc00041L, 0x7fc0005cL,
                            0xffc00045L, 0x7f800000L, 0x7fc00062L, 0x7fc00064L, 0x7f800000L, 0xffc00082L, 0x7fc0006aL,
                            0x7fc0006cL, 0xffc00088L, 0x7fc0008bL, 0x7fc00072L, 0xffc00074L, 0x7f800000L, 0x7fc00093L,
                            0x7fc0007aL, 0xffc0007cL, 0x7fc00099L, 0x7fc0009bL
                    }),
            new Case("gatheredWindows", FLOAT32, new int[] {1, 2, 7, 9}, 3, 2, 0, false,
                    new long[] {
                            20, 20, 14, 26, 37, 20, 22, 43, 55, 57, 59, 61, 18, 12, 6, 6, 37, 29, 41, 43, 47, 57, 59, 61
                    },
                    new long[] {
                            0xffc00014L, 0xffc00014L, 0xffc0000eL, 0xffc0001aL, 0x7fc00025L, 0xffc00014L, 0x7f800000L,
                            0x7fc0002bL, 0xffc00037L, 0x7fc00039L, 0x7fc0003bL, 0x7fc0003dL, 0xffc00051L, 0xffc0004bL,
                            0xffc00045L, 0xffc00045L, 0x7fc00064L, 0x7fc0005cL, 0x7fc00068L, 0x7fc0006aL, 0xffc0006eL,
                            0x7fc00078L, 0x7fc0007aL, 0xffc0007cL
                    }),
            new Case("overlappingPadded", FLOAT32, new int[] {1, 1, 5, 6}, 3, 1, 1, false,
                    new long[] {
                            6, 8, 8, 10, 10, 10, 12, 14, 14, 14, 10, 10, 18, 20, 20, 20, 10, 10, 18, 26, 26, 26, 16, 16,
                            18, 26, 26, 26, 22, 22
                    },
                    new long[] {
                            0x7fc00006L, 0xffc00008L, 0xffc00008L, 0x7fc0000aL, 0x7fc0000aL, 0x7fc0000aL, 0x7fc0000cL,
                            0xffc0000eL, 0xffc0000eL, 0xffc0000eL, 0x7fc0000aL, 0x7fc0000aL, 0x7fc00012L, 0xffc00014L,
                            0xffc00014L, 0xffc00014L, 0x7fc0000aL, 0x7fc0000aL, 0x7fc00012L, 0xffc0001aL, 0xffc0001aL,
                            0xffc0001aL, 0x7f800000L, 0x7f800000L, 0x7fc00012L, 0xffc0001aL, 0xffc0001aL, 0xffc0001aL,
                            0x7f800000L, 0x7f800000L
                    }),
            new Case("strideTwoPaddedCeil", FLOAT32, new int[] {1, 1, 7, 6}, 3, 2, 1, true,
                    new long[] {
                            6, 8, 10, 5, 18, 20, 10, 23, 18, 26, 22, 29, 37, 37, 34, 35
                    },
                    new long[] {
                            0x7fc00006L, 0xffc00008L, 0x7fc0000aL, 0x3f800000L, 0x7fc00012L, 0xffc00014L, 0x7fc0000aL,
                            0x00000000L, 0x7fc00012L, 0xffc0001aL, 0x7f800000L, 0x3f800000L, 0x7fc00025L, 0x7fc00025L,
                            0x7f800000L, 0x3f800000L
                    }),
            new Case("ceilModeTwoByTwo", FLOAT32, new int[] {1, 1, 5, 5}, 2, 2, 0, true,
                    new long[] {
                            6, 8, 4, 10, 18, 14, 20, 22, 24
                    },
                    new long[] {
                            0x7fc00006L, 0xffc00008L, 0x7fc00004L, 0x7fc0000aL, 0x7fc00012L, 0xffc0000eL, 0xffc00014L,
                            0x7f800000L, 0xff800000L
                    }),
            new Case("doubles", FLOAT64, new int[] {1, 1, 4, 6}, 2, 2, 0, false,
                    new long[] {
                            6, 8, 10, 18, 20, 16
                    },
                    new long[] {
                            0x7ff8000000000006L, 0xfff8000000000008L, 0x7ff800000000000aL, 0x7ff8000000000012L,
                            0xfff8000000000014L, 0x7ff0000000000000L
                    }),
            new Case("doublesPadded", FLOAT64, new int[] {1, 1, 5, 5}, 3, 2, 1, false,
                    new long[] {
                            6, 8, 8, 10, 18, 18, 20, 18, 18
                    },
                    new long[] {
                            0x7ff8000000000006L, 0xfff8000000000008L, 0xfff8000000000008L, 0x7ff800000000000aL,
                            0x7ff8000000000012L, 0x7ff8000000000012L, 0xfff8000000000014L, 0x7ff8000000000012L,
                            0x7ff8000000000012L
                    }));

    @ParameterizedTest(name = "{0}")
    @FieldSource("CASES")
    void lastNanOfEachWindowAsPyTorchKeepsIt(Case c) {
        Tensor x = input(c).requiresGrad_();
        int[] k = {c.kernel(), c.kernel()};
        ValuesIndices pooled = F.maxPool2dWithIndices(x, k, new int[] {c.stride(), c.stride()},
                new int[] {c.padding(), c.padding()}, new int[] {1, 1}, c.ceil());
        assertArrayEquals(c.indices(), pooled.indices().toLongArray(), c.name() + ": indices");
        assertArrayEquals(c.bits(), bits(pooled.values()), c.name() + ": value bits");

        // the gradient of output o (o + 1 here) lands on its index
        Tensor values = pooled.values();
        int outputs = values.numel();
        double[] upstream = new double[outputs];
        double[] expected = new double[x.numel()];
        int plane = c.shape()[2] * c.shape()[3];
        int outPlane = values.size(2) * values.size(3);
        for (int o = 0; o < outputs; o++) {
            upstream[o] = o + 1;
            expected[o / outPlane * plane + (int) c.indices()[o]] += o + 1;
        }
        values.backward(Tensor.of(upstream, values.shape()).to(c.dtype()));
        assertArrayEquals(expected, x.grad().to(FLOAT64).toDoubleArray(), c.name() + ": input gradient");
    }

    private static Tensor input(Case c) {
        int n = c.shape()[0] * c.shape()[1] * c.shape()[2] * c.shape()[3];
        if (c.dtype() == FLOAT64) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = Double.longBitsToDouble(doubleBits(i));
            }
            return Tensor.of(x, c.shape());
        }
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = Float.intBitsToFloat(c.name().equals("namedWindows") ? NAMED[i] : floatBits(i));
        }
        return Tensor.of(x, c.shape());
    }

    /** Element i's kind, 0 to 12, from a multiplicative hash (the generator's {@code code}). */
    private static int kind(int i) {
        return ((i * 0x9E3779B1) >>> 16) % 13;
    }

    /** Mostly NaNs with payload i (a quarter of them negative), then infinities, signed zeros, -1 and many 1s. */
    private static int floatBits(int i) {
        return switch (kind(i)) {
            case 0, 1, 2 -> 0x7fc00000 | i;
            case 3 -> 0xffc00000 | i;
            case 4 -> 0x7f800000;
            case 5 -> 0xff800000;
            case 8 -> 0x80000000;
            case 9, 11 -> 0;
            case 10 -> 0xbf800000;
            default -> 0x3f800000;
        };
    }

    /** {@link #floatBits} in float64. */
    private static long doubleBits(int i) {
        return switch (kind(i)) {
            case 0, 1, 2 -> 0x7ff8000000000000L | i;
            case 3 -> 0xfff8000000000000L | i;
            case 4 -> 0x7ff0000000000000L;
            case 5 -> 0xfff0000000000000L;
            case 8 -> 0x8000000000000000L;
            case 9, 11 -> 0;
            case 10 -> 0xbff0000000000000L;
            default -> 0x3ff0000000000000L;
        };
    }

    /** Raw bits, float32's as unsigned ints. */
    private static long[] bits(Tensor t) {
        if (t.dtype() == FLOAT64) {
            double[] v = t.toDoubleArray();
            long[] b = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                b[i] = Double.doubleToRawLongBits(v[i]);
            }
            return b;
        }
        float[] v = t.toFloatArray();
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Integer.toUnsignedLong(Float.floatToRawIntBits(v[i]));
        }
        return b;
    }
}
