package dev.trainyard.spec;

/**
 * One thing wrong with a run spec: where (an RFC 6901 JSON pointer into the submitted document, {@code ""} for the
 * document itself), what a person should change, and the value that was rejected (null when a field is missing).
 *
 * <pre>
 * /optimizer/lr: must be &gt; 0, got -0.1
 * /model/layers/3/type: unknown layer type 'conv3d'; expected one of [linear, conv1d, conv2d, ...]
 * </pre>
 *
 * @param pointer       JSON pointer of the offending value, e.g. {@code /model/layers/3/kernelSize}
 * @param message       the problem, phrased to be read after the pointer
 * @param rejectedValue the offending value as plain Java (String, Integer, Long, Double, Boolean, List, Map), or null
 */
public record SpecProblem(String pointer, String message, Object rejectedValue) {

    @Override
    public String toString() {
        return (pointer.isEmpty() ? "(document)" : pointer) + ": " + message;
    }
}
