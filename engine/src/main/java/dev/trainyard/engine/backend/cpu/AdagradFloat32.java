package dev.trainyard.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The float32 Adagrad update on float vectors; loaded only when the Vector API is enabled ({@link VectorApi}). */
final class AdagradFloat32 {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

    private AdagradFloat32() {
    }

    /**
     * Adagrad's update loop ({@link CpuAdagrad}) in float arithmetic: every step of it rounds to float there too, so
     * the results are the same bits, but the loop runs on float vectors. {@code sa} is the squared-gradient sum.
     */
    static void update(float[] pa, int po, float[] ga, int go, float[] sa, int so, int n, boolean maximize, float wd,
                       float eps, float negClr) {
        boolean decay = wd != 0;
        // lanewise float operations round as the scalar ones below (FMA fused, sqrt and division correctly rounded)
        FloatVector wdV = FloatVector.broadcast(FLOATS, wd);
        FloatVector epsV = FloatVector.broadcast(FLOATS, eps);
        FloatVector negClrV = FloatVector.broadcast(FLOATS, negClr);
        int i = 0;
        for (int end = FLOATS.loopBound(n); i < end; i += FLOATS.length()) {
            FloatVector w = FloatVector.fromArray(FLOATS, pa, po + i);
            FloatVector g = FloatVector.fromArray(FLOATS, ga, go + i);
            if (maximize) {
                g = g.neg();
            }
            if (decay) {
                g = w.fma(wdV, g);
            }
            FloatVector s = g.fma(g, FloatVector.fromArray(FLOATS, sa, so + i));
            s.intoArray(sa, so + i);
            w.add(negClrV.mul(g).div(s.sqrt().add(epsV))).intoArray(pa, po + i);
        }
        for (; i < n; i++) {
            float w = pa[po + i];
            float g = maximize ? -ga[go + i] : ga[go + i];
            if (decay) {
                g = Math.fma(w, wd, g);
            }
            float s = Math.fma(g, g, sa[so + i]);
            sa[so + i] = s;
            pa[po + i] = w + negClr * g / ((float) Math.sqrt(s) + eps);
        }
    }
}
