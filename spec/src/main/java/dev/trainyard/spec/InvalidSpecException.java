package dev.trainyard.spec;

import java.util.List;

/** Thrown by {@link RunSpecs#parse} for a spec with problems; {@link #problems()} lists every one of them. */
public final class InvalidSpecException extends IllegalArgumentException {
    private final List<SpecProblem> problems;

    public InvalidSpecException(List<SpecProblem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    public List<SpecProblem> problems() {
        return problems;
    }

    private static String message(List<SpecProblem> problems) {
        StringBuilder sb = new StringBuilder("invalid run spec (" + problems.size() + (problems.size() == 1 ? " problem)" : " problems)"));
        for (SpecProblem p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }
}
