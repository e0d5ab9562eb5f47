package dev.trainyard.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The float32 RMSprop update on float vectors; loaded only when the Vector API is enabled ({@link VectorApi}). */
final class RmspropFloat32 {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

    private RmspropFloat32() {
    }

    /**
     * RMSprop's update loop ({@link CpuRmsprop}) in float arithmetic: every step of it rounds to float there too, so
     * the results are the same bits, but the loop runs on float vectors. {@code aa} is {@code grad_avg} (centered) and
     * {@code ba} the momentum buffer, each null when not used.
     */
    static void update(float[] pa, int po, float[] ga, int go, float[] sa, int so, float[] aa, int ao, float[] ba, int bo,
                       int n, boolean maximize, float wd, float alpha, float oneMinusAlpha, float eps, float momentum,
                       float negLr) {
        boolean decay = wd != 0;
        // lanewise float operations round as the scalar ones below (FMA fused, sqrt and division correctly rounded)
        FloatVector wdV = FloatVector.broadcast(FLOATS, wd);
        FloatVector alphaV = FloatVector.broadcast(FLOATS, alpha);
        FloatVector oneMinusAlphaV = FloatVector.broadcast(FLOATS, oneMinusAlpha);
        FloatVector epsV = FloatVector.broadcast(FLOATS, eps);
        FloatVector momentumV = FloatVector.broadcast(FLOATS, momentum);
        FloatVector negLrV = FloatVector.broadcast(FLOATS, negLr);
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
            FloatVector s = oneMinusAlphaV.mul(g).fma(g, FloatVector.fromArray(FLOATS, sa, so + i).mul(alphaV));
            s.intoArray(sa, so + i);
            FloatVector avg;
            if (aa != null) {
                FloatVector a = g.fma(oneMinusAlphaV, FloatVector.fromArray(FLOATS, aa, ao + i).mul(alphaV));
                a.intoArray(aa, ao + i);
                avg = a.neg().fma(a, s).sqrt();
            } else {
                avg = s.sqrt();
            }
            avg = avg.add(epsV);
            if (ba != null) {
                FloatVector b = FloatVector.fromArray(FLOATS, ba, bo + i).mul(momentumV).add(g.div(avg));
                b.intoArray(ba, bo + i);
                b.fma(negLrV, w).intoArray(pa, po + i);
            } else {
                w.add(negLrV.mul(g).div(avg)).intoArray(pa, po + i);
            }
        }
        for (; i < n; i++) {
            float w = pa[po + i];
            float g = maximize ? -ga[go + i] : ga[go + i];
            if (decay) {
                g = Math.fma(w, wd, g);
            }
            float s = Math.fma(oneMinusAlpha * g, g, sa[so + i] * alpha);
            sa[so + i] = s;
            float avg;
            if (aa != null) {
                float a = Math.fma(g, oneMinusAlpha, aa[ao + i] * alpha);
                aa[ao + i] = a;
                avg = (float) Math.sqrt(Math.fma(-a, a, s));
            } else {
                avg = (float) Math.sqrt(s);
            }
            avg = avg + eps;
            if (ba != null) {
                float b = ba[bo + i] * momentum + g / avg;
                ba[bo + i] = b;
                pa[po + i] = Math.fma(b, negLr, w);
            } else {
                pa[po + i] = w + negLr * g / avg;
            }
        }
    }
}
