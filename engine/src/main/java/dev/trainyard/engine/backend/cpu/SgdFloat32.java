package dev.trainyard.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The float32 SGD update on float vectors; loaded only when the Vector API is enabled ({@link VectorApi}). */
final class SgdFloat32 {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

    private SgdFloat32() {
    }

    /**
     * SGD's update loop ({@link CpuSgd}) in float arithmetic: every step of it rounds to float there too, so the
     * results are the same bits, but the loop runs on float vectors. {@code ba} is the momentum buffer, or null
     * without momentum.
     */
    static void update(float[] pa, int po, float[] ga, int go, float[] ba, int bo, int n, boolean firstStep,
                       boolean maximize, float wd, float momentum, float oneMinusDampening, boolean nesterov, float negLr) {
        boolean decay = wd != 0;
        FloatVector wdV = FloatVector.broadcast(FLOATS, wd);
        FloatVector momentumV = FloatVector.broadcast(FLOATS, momentum);
        FloatVector oneMinusDampeningV = FloatVector.broadcast(FLOATS, oneMinusDampening);
        FloatVector negLrV = FloatVector.broadcast(FLOATS, negLr);
        int i = 0;
        for (int end = FLOATS.loopBound(n); i < end; i += FLOATS.length()) {
            FloatVector w = FloatVector.fromArray(FLOATS, pa, po + i);
            FloatVector d = FloatVector.fromArray(FLOATS, ga, go + i);
            if (maximize) {
                d = d.neg();
            }
            if (decay) {
                d = w.fma(wdV, d);
            }
            if (ba != null) {
                FloatVector b = firstStep ? d : d.fma(oneMinusDampeningV, FloatVector.fromArray(FLOATS, ba, bo + i).mul(momentum));
                b.intoArray(ba, bo + i);
                d = nesterov ? b.fma(momentumV, d) : b;
            }
            d.fma(negLrV, w).intoArray(pa, po + i);
        }
        for (; i < n; i++) {
            float w = pa[po + i];
            float d = maximize ? -ga[go + i] : ga[go + i];
            if (decay) {
                d = Math.fma(w, wd, d);
            }
            if (ba != null) {
                float b = firstStep ? d : Math.fma(d, oneMinusDampening, ba[bo + i] * momentum);
                ba[bo + i] = b;
                d = nesterov ? Math.fma(b, momentum, d) : b;
            }
            pa[po + i] = Math.fma(d, negLr, w);
        }
    }
}
