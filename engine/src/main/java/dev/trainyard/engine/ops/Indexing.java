package dev.trainyard.engine.ops;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.ValuesIndices;

import java.util.List;

/** Indexing, joining and ordering ops. (Being implemented: each method below is replaced with the real op.) */
public final class Indexing {
    private Indexing() {
    }

    private static UnsupportedOperationException missing(String op) {
        return new UnsupportedOperationException(op + " is not available yet");
    }

    public static Tensor cumsum(Tensor x, int dim) { throw missing("cumsum"); }
    public static Tensor gather(Tensor x, int dim, Tensor index) { throw missing("gather"); }
    public static Tensor scatter(Tensor x, int dim, Tensor index, Tensor src) { throw missing("scatter"); }
    public static Tensor scatter(Tensor x, int dim, Tensor index, double value) { throw missing("scatter"); }
    public static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor src) { throw missing("scatterAdd"); }
    public static Tensor indexSelect(Tensor x, int dim, Tensor index) { throw missing("indexSelect"); }
    public static Tensor maskedFill(Tensor x, Tensor mask, double value) { throw missing("maskedFill"); }
    public static Tensor maskedSelect(Tensor x, Tensor mask) { throw missing("maskedSelect"); }
    public static Tensor index(Tensor x, Tensor... indices) { throw missing("index"); }
    public static Tensor cat(List<Tensor> tensors, int dim) { throw missing("cat"); }
    public static Tensor stack(List<Tensor> tensors, int dim) { throw missing("stack"); }
    public static List<Tensor> split(Tensor x, int splitSize, int dim) { throw missing("split"); }
    public static List<Tensor> split(Tensor x, int[] sizes, int dim) { throw missing("split"); }
    public static List<Tensor> chunk(Tensor x, int chunks, int dim) { throw missing("chunk"); }
    public static ValuesIndices sort(Tensor x, int dim, boolean descending) { throw missing("sort"); }
    public static ValuesIndices topk(Tensor x, int k, int dim, boolean largest, boolean sorted) { throw missing("topk"); }
    public static Tensor oneHot(Tensor x, int numClasses) { throw missing("oneHot"); }
}
