package dev.trainyard.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.trainyard.spec.SpecValidatorTest.BASE;
import static dev.trainyard.spec.SpecValidatorTest.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Integers beyond 32 bits and sizes the trainer cannot handle are problems at their pointer naming the allowed range,
 * in JSON and in YAML (they used to escape the validator as a ClassCastException, a 500 on submission).
 */
class SpecLimitsTest {

    static Stream<Arguments> beyond32Bits() {
        List<Arguments> out = new ArrayList<>();
        String[][] fields = {
                {"/batchSize", "batchSize", "[1, 65536]"},
                {"/epochs", "epochs", "[1, 100000]"},
                {"/dataset/trainSubset", "dataset.trainSubset", "[1, 100000000]"},
                {"/logging/everySteps", "logging.everySteps", "[1, 1000000000]"},
                {"/checkpoint/everySteps", "checkpoint.everySteps", "[1, 1000000000]"}};
        for (String[] f : fields) {
            for (String value : List.of("2147483648", "9223372036854775807", "4294967296")) {
                out.add(arguments(f[0], f[1], value, f[2]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} = {2}")
    @MethodSource("beyond32Bits")
    void integersBeyond32BitsAreOneProblemNamingTheRange(String pointer, String path, String value, String range) throws Exception {
        String[] parts = path.split("\\.");
        var tree = parts.length == 2 && !parts[0].equals("dataset")
                ? with(BASE, "/" + parts[0], "{\"" + parts[1] + "\": " + value + "}") : with(BASE, pointer, value);
        String json = new ObjectMapper().writeValueAsString(tree);
        String expected = pointer + ": must be in " + range + ", got " + value;
        assertEquals(List.of(expected), messages(SpecValidator.validate(json, Format.JSON)), "JSON");

        String yaml = parts.length == 1 ? BASE.replaceAll("(?m)^" + parts[0] + ": .*$", "") + parts[0] + ": " + value + "\n"
                : BASE.replaceAll("(?m)^" + parts[0] + ": .*$", "") + parts[0] + ":\n  " + parts[1] + ": " + value + "\n"
                + (parts[0].equals("dataset") ? "  name: fashion-mnist\n" : "");
        assertEquals(List.of(expected), messages(SpecValidator.validate(yaml, Format.YAML)), "YAML:\n" + yaml);
    }

    @Test
    void aHiddenLayerTooWideForTheTrainerIsAProblemNamingTheLimit() throws Exception {
        var spec = with(BASE, "/model", "{\"builtin\": \"mlp\", \"args\": {\"hidden\": [256, 120000]}}");
        assertEquals(List.of("/model/args/hidden/1: must be in [1, 16384], got 120000"), messages(SpecValidator.validate(spec)));
        spec = with(BASE, "/model/layers/1/outFeatures", "20000");
        assertEquals(List.of("/model/layers/1/outFeatures: must be in [1, 16384], got 20000"), messages(SpecValidator.validate(spec)));
        spec = with(BASE, "/model", "{\"builtin\": \"mlp\", \"args\": {\"hidden\": [" + "8, ".repeat(300) + "8]}}");
        assertEquals(List.of("/model/args/hidden: must have at most 256 elements, got 301"), messages(SpecValidator.validate(spec)));
    }

    @Test
    void countsAndLengthsAreBounded() throws Exception {
        assertEquals(List.of("/maxSteps: must be in [1, 1000000000], got 1099511627776"),
                messages(SpecValidator.validate(with(BASE, "/epochs", "<remove>", "/maxSteps", "1099511627776"))));
        assertEquals(List.of("/epochs: must be in [1, 100000], got 2000000000"),
                messages(SpecValidator.validate(with(BASE, "/epochs", "2000000000"))));
        assertEquals(List.of("/scheduler/stepSize: must be in [1, 1000000000], got 3000000000"),
                messages(SpecValidator.validate(with(BASE, "/scheduler/stepSize", "3000000000"))));
        assertEquals(List.of("/model/layers: must have at most 256 layers, got 300"),
                messages(SpecValidator.validate(with(BASE, "/model/layers", "[" + "\"relu\", ".repeat(299) + "\"relu\"]"))));
        assertEquals(List.of("/model/layers/1/sizes/0: must be in [-1, 1000000], got 2147483648"),
                messages(SpecValidator.validate(with(BASE, "/model/layers/1",
                        "{\"type\": \"unflatten\", \"dim\": 1, \"sizes\": [2147483648]}"))));
    }

    @Test
    void textFieldsRefuseControlCharacters() throws Exception {
        assertEquals(List.of("/name: must not contain control characters; found U+0000 at index 1"),
                messages(SpecValidator.validate(with(BASE, "/name", "\"a\\u0000b\""))));
        assertEquals(List.of("/name: must not contain control characters; found U+001B at index 0"),
                messages(SpecValidator.validate(with(BASE, "/name", "\"\\u001b[31m\""))));
        assertEquals(List.of("/dataset/path: must not contain control characters; found U+0009 at index 4"),
                messages(SpecValidator.validate(with(BASE, "/dataset/path", "\"data\\tset\""))));
    }

    @Test
    void justUnderTheLimitsIsValid() throws Exception {
        assertEquals(List.of(), SpecValidator.validate(with(BASE, "/batchSize", "65536", "/epochs", "100000",
                "/dataset/trainSubset", "100000000", "/model/layers/1/outFeatures", "16384")));
    }

    @Test
    void theDocsListEveryLimit() throws Exception {
        String doc = Files.readString(SpecDocsTest.DOC);
        for (Field f : Limits.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                String value = String.format("%,d", f.getInt(null));
                assertTrue(doc.contains(value), "docs/run-spec.md should state the limit " + f.getName() + " = " + value);
            }
        }
    }

    private static List<String> messages(List<SpecProblem> problems) {
        return problems.stream().map(SpecProblem::toString).toList();
    }
}
