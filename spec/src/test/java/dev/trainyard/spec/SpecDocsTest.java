package dev.trainyard.spec;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/run-spec.md stays true: every yaml and json example in it (and in the README's "Run specs") is a valid spec, and
 * its reference section is the
 * {@link Catalog} (run with {@code -Dtrainyard.updateDocs=true} to rewrite that section after changing the catalog).
 */
class SpecDocsTest {
    static final Path DOC = Path.of("..", "docs", "run-spec.md");
    static final Path README = Path.of("..", "README.md");
    private static final String START = "<!-- reference:start -->";
    private static final String END = "<!-- reference:end -->";

    /** The ```yaml and ```json blocks of the doc. */
    static List<String> examples() throws Exception {
        return examples(DOC);
    }

    static List<String> examples(Path file) throws Exception {
        String doc = Files.readString(file);
        Matcher m = Pattern.compile("```(yaml|json)\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(2));
        }
        return out;
    }

    @Test
    void everyExampleIsAValidSpec() throws Exception {
        List<String> examples = examples();
        assertTrue(examples.size() >= 7, "found " + examples.size() + " examples");
        for (String example : examples) {
            List<SpecProblem> problems = SpecValidator.validate(example, Format.AUTO);
            assertEquals(List.of(), problems, "example:\n" + example);
        }
    }

    @Test
    void theReadmeExamplesAreValidSpecs() throws Exception {
        List<String> examples = examples(README);
        assertEquals(2, examples.size(), "README.md's yaml and json blocks are run specs");
        for (String example : examples) {
            assertEquals(List.of(), SpecValidator.validate(example, Format.AUTO), "README example:\n" + example);
        }
    }

    @Test
    void referenceSectionIsTheCatalog() throws Exception {
        String doc = Files.readString(DOC);
        int start = doc.indexOf(START);
        int end = doc.indexOf(END);
        assertTrue(start >= 0 && end > start, DOC + " needs the markers " + START + " and " + END);
        String expected = doc.substring(0, start + START.length()) + "\n" + reference() + doc.substring(end);
        if (Boolean.getBoolean("trainyard.updateDocs")) {
            Files.writeString(DOC, expected);
            return;
        }
        assertEquals(expected, doc, "the reference in " + DOC + " is out of date: run this test with -Dtrainyard.updateDocs=true");
    }

    static String reference() {
        StringBuilder sb = new StringBuilder();
        section(sb, "Layer types", "layer", Catalog.layers());
        section(sb, "Built-in models", "builtin", Catalog.builtins());
        section(sb, "Losses", "loss", Catalog.losses());
        section(sb, "Optimizers", "optimizer", Catalog.optimizers());
        section(sb, "Schedulers", "scheduler", Catalog.schedulers());
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, String what, Map<String, ComponentType> types) {
        sb.append("\n### ").append(title).append("\n\n| ").append(what).append(" | | arguments |\n|---|---|---|\n");
        for (ComponentType t : types.values()) {
            List<String> args = new ArrayList<>();
            for (Param p : t.params()) {
                String when = p.required() ? "**required**" : p.inferred() ? "optional" : "default `" + show(p.defaultValue()) + "`";
                args.add("`" + p.name() + "`: " + p.doc() + " (" + p.kind().describe() + "; " + when + ")");
            }
            sb.append("| `").append(t.name()).append("` | ").append(t.summary().replace("|", "\\|")).append(" | ")
                    .append(args.isEmpty() ? "none" : String.join("<br>", args).replace("|", "\\|")).append(" |\n");
        }
    }

    private static String show(Object v) {
        if (v instanceof Double d) {
            return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (v instanceof List<?> l) {
            return "[" + String.join(", ", l.stream().map(SpecDocsTest::show).toList()) + "]";
        }
        return String.valueOf(v);
    }
}
