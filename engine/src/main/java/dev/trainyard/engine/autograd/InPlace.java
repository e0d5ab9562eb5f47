package dev.trainyard.engine.autograd;

import dev.trainyard.engine.Shapes;
import dev.trainyard.engine.Tensor;

/**
 * Rewrites autograd history after an in-place op. A tensor that owns its storage simply takes the result's node. A
 * view is harder: its base changed too, so the base gets a {@code CopySlices} node (gradient of the written region
 * goes to the op, the rest to the base's old history) and the view becomes a view of that new base.
 */
public final class InPlace {
    private InPlace() {
    }

    public static void rebaseHistory(Tensor self, Tensor result) {
        Tensor base = self.base();
        if (base == null) {
            AutogradMeta meta = self.autogradMeta();
            meta.setHistory(result.gradFn(), result.requiresGrad() ? result.autogradMeta().outputNr() : 0, self.version());
            if (result.requiresGrad() && result.gradFn() == null) {
                // the result is a leaf (copy_ of a leaf): route through an identity so the leaf gets the gradient
                meta.setHistory(new IdentityNode(Engine.gradientEdge(result)), 0, self.version());
            }
            return;
        }
        if (!base.isContiguous()) {
            throw new UnsupportedOperationException("in-place modification of a view of a non-contiguous tensor is not "
                    + "supported with autograd; clone() the base first");
        }
        Geometry view = geometryOf(self, base);
        Edge oldBase = base.requiresGrad() ? Engine.gradientEdge(base) : null;
        Edge written = result.requiresGrad() ? Engine.gradientEdge(result) : null;
        CopySlices copySlices = new CopySlices(oldBase, written, base.shape(), view);
        base.autogradMeta().setHistory(copySlices, 0, base.version());
        self.autogradMeta().setHistory(new ViewOfBase(new Edge(copySlices, 0), base.shape(), view), 0, self.version());
    }

    /**
     * A view whose base (or a sibling view) was modified in place after the view's history was recorded would still
     * point at the old history; as PyTorch does, it becomes a view of the base's current history.
     */
    static void refreshStaleView(Tensor view) {
        Tensor base = view.base();
        AutogradMeta meta = view.autogradMeta();
        if (base == null || meta.gradFn() == null || meta.historyVersion() == view.version() || !base.requiresGrad()
                || !base.isContiguous()) {
            return;
        }
        Edge current = Engine.gradientEdge(base);
        meta.setHistory(new ViewOfBase(current, base.shape(), geometryOf(view, base)), 0, view.version());
    }

    private static Geometry geometryOf(Tensor view, Tensor base) {
        return new Geometry(view.shape(), view.stride(), view.storageOffset() - base.storageOffset());
    }

    record Geometry(int[] shape, int[] strides, int offset) {
        Tensor of(Tensor contiguous) {
            return contiguous.asStrided(shape, strides, contiguous.storageOffset() + offset);
        }
    }

    private static final class IdentityNode extends Node {
        IdentityNode(Edge next) {
            super(new Edge[] {next}, 1);
        }

        @Override
        public String name() {
            return "CopyBackwards";
        }

        @Override
        protected Tensor[] apply(Tensor[] g) {
            return new Tensor[] {g[0]};
        }
    }

    private static final class CopySlices extends Node {
        private final int[] baseShape;
        private final Geometry view;

        CopySlices(Edge oldBase, Edge written, int[] baseShape, Geometry view) {
            super(new Edge[] {oldBase, written}, 1);
            this.baseShape = baseShape;
            this.view = view;
        }

        @Override
        public String name() {
            return "CopySlices";
        }

        @Override
        protected Tensor[] apply(Tensor[] g) {
            Tensor grad = g[0].contiguous();
            Tensor toOldBase = grad.clone();
            try (var ignored = GradMode.set(false)) {
                view.of(toOldBase).zero_();
            }
            Tensor toWritten = view.of(grad).clone();
            return new Tensor[] {toOldBase, toWritten};
        }
    }

    private static final class ViewOfBase extends Node {
        private final int[] baseShape;
        private final Geometry view;

        ViewOfBase(Edge base, int[] baseShape, Geometry view) {
            super(new Edge[] {base}, 1);
            this.baseShape = baseShape;
            this.view = view;
        }

        @Override
        public String name() {
            return "AsStridedBackward0";
        }

        @Override
        protected Tensor[] apply(Tensor[] g) {
            Tensor grad = Tensor.zeros(baseShape, g[0].dtype());
            try (var ignored = GradMode.set(false)) {
                view.of(grad).copy_(g[0]);
            }
            assert Shapes.numel(baseShape) == grad.numel();
            return new Tensor[] {grad};
        }
    }
}
