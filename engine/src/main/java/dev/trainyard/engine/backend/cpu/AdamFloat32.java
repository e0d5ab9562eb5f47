package dev.trainyard.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 Adam/AdamW update on float vectors; loaded only when the Vector API is enabled ({@link VectorApi}).
 */
final class AdamFloat32 {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

    private AdamFloat32() {
    }

    /**
     * Adam's update loop ({@link CpuAdam}) in float arithmetic, for float32 parameters without amsgrad: every step
     * of it rounds to float there too (a float operation equals the double one rounded once), so the results are the
     * same bits, but the loop runs on float vectors, without the buffers' per-element dispatch.
     */
    static void update(float[] pa, int po, float[] ga, int go, float[] ma, int mo, float[] va, int vo, int n,
                       boolean maximize, boolean decoupled, boolean coupled, float decay, float wd, float b1,
                       float oneMinusB1, float b2, float oneMinusB2, float bc2Sqrt, float eps, float negStepSize) {
        // lanewise float operations round as the scalar ones below (FMA fused, sqrt and division correctly rounded)
        FloatVector wdV = FloatVector.broadcast(FLOATS, wd);
        FloatVector oneMinusB1V = FloatVector.broadcast(FLOATS, oneMinusB1);
        int i = 0;
        for (int end = FLOATS.loopBound(n); i < end; i += FLOATS.length()) {
            FloatVector g = FloatVector.fromArray(FLOATS, ga, go + i);
            if (maximize) {
                g = g.neg();
            }
            FloatVector w = FloatVector.fromArray(FLOATS, pa, po + i);
            if (decoupled) {
                w = w.mul(decay);
            } else if (coupled) {
                g = w.fma(wdV, g);
            }
            FloatVector mi = g.fma(oneMinusB1V, FloatVector.fromArray(FLOATS, ma, mo + i).mul(b1));
            FloatVector vi = g.mul(oneMinusB2).fma(g, FloatVector.fromArray(FLOATS, va, vo + i).mul(b2));
            mi.intoArray(ma, mo + i);
            vi.intoArray(va, vo + i);
            FloatVector denom = vi.sqrt().div(bc2Sqrt).add(eps);
            w.add(mi.mul(negStepSize).div(denom)).intoArray(pa, po + i);
        }
        for (; i < n; i++) {
            float g = ga[go + i];
            if (maximize) {
                g = -g;
            }
            float w = pa[po + i];
            if (decoupled) {
                w = w * decay;
            } else if (coupled) {
                g = Math.fma(w, wd, g);
            }
            float mi = Math.fma(g, oneMinusB1, ma[mo + i] * b1);
            float vi = Math.fma(oneMinusB2 * g, g, va[vo + i] * b2);
            ma[mo + i] = mi;
            va[vo + i] = vi;
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            pa[po + i] = w + negStepSize * mi / denom;
        }
    }
}
