package dev.trainyard.spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Checks a run spec and returns every problem at once, each with its JSON pointer, message and rejected value (an
 * empty list means valid). The platform calls it on submission and answers problem+json with the list; the worker
 * parses with {@link RunSpecs#parse}, which runs the same checks.
 *
 * <pre>{@code
 * for (SpecProblem p : SpecValidator.validate(text, Format.AUTO)) {
 *     System.out.println(p);   // e.g. "/optimizer/lr: must be > 0, got -0.1"
 * }
 * }</pre>
 *
 * Checked: syntax (including duplicate keys), types, ranges, allowed names (with "did you mean"), unknown fields
 * anywhere, required fields, mutually exclusive fields ({@code epochs}/{@code maxSteps}, path/artifact, ...), and
 * consistency between sections: loss and metrics against the dataset's task, metrics named by early stopping,
 * keep-best and the plateau scheduler against what the run reports, validation against the dataset's split.
 * Shapes are not: whether layers fit together is only known with the engine, and the worker's model factory reports
 * it naming the layer's index.
 */
public final class SpecValidator {
    private SpecValidator() {
    }

    public static List<SpecProblem> validate(String text, Format format) {
        RunSpecs.Parsed p = RunSpecs.tree(text, format);
        if (p.problem() != null) {
            return List.of(p.problem());
        }
        return validate(p.tree());
    }

    public static List<SpecProblem> validate(JsonNode tree) {
        SpecReader reader = new SpecReader();
        reader.read(tree);
        return reader.problems();
    }

    /** Checks a spec built in code (by writing it out and reading it back). */
    public static List<SpecProblem> validate(RunSpec spec) {
        return validate(RunSpecs.toTree(spec));
    }
}
