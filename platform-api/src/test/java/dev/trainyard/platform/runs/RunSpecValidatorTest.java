package dev.trainyard.platform.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RunSpecValidatorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static List<String> pointers(String spec) {
        return RunSpecValidator.validate(JSON.readTree(spec)).stream().map(RunSpecValidator.Problem::pointer).toList();
    }

    @Test
    void validSpecs() {
        assertThat(pointers("{\"dataset\":\"mnist\",\"model\":\"mlp\",\"optimizer\":\"sgd\",\"epochs\":1}")).isEmpty();
        assertThat(pointers("""
                {"dataset": {"name": "fashion-mnist", "augment": true}, "model": {"name": "cnn", "channels": [32, 64]},
                 "optimizer": {"name": "adamw", "lr": 3e-4, "weightDecay": 0.01}, "maxSteps": 10000,
                 "batchSize": 128, "seed": -7}""")).isEmpty();
        assertThat(pointers("{\"dataset\":\"d\",\"model\":\"m\",\"optimizer\":\"o\",\"epochs\":2,\"maxSteps\":5}"))
                .isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"model\":\"m\",\"optimizer\":\"o\",\"epochs\":1}                              | /dataset",
        "{\"dataset\":\" \",\"model\":\"m\",\"optimizer\":\"o\",\"epochs\":1}            | /dataset",
        "{\"dataset\":7,\"model\":\"m\",\"optimizer\":\"o\",\"epochs\":1}                 | /dataset",
        "{\"dataset\":\"d\",\"model\":{},\"optimizer\":\"o\",\"epochs\":1}                | /model/name",
        "{\"dataset\":\"d\",\"model\":\"m\",\"optimizer\":{\"name\":\"sgd\",\"lr\":0},\"epochs\":1} | /optimizer/lr",
        "{\"dataset\":\"d\",\"model\":\"m\",\"optimizer\":{\"name\":\"sgd\",\"lr\":\"x\"},\"epochs\":1} | /optimizer/lr",
        "{\"dataset\":\"d\",\"model\":\"m\",\"optimizer\":\"o\"}                          | /epochs",
        "{\"dataset\":\"d\",\"model\":\"m\",\"optimizer\":\"o\",\"epochs\":1.5}           | /epochs",
        "{\"dataset\":\"d\",\"model\":\"m\",\"optimizer\":\"o\",\"epochs\":\"3\"}         | /epochs",
        "{\"dataset\":\"d\",\"model\":\"m\",\"optimizer\":\"o\",\"maxSteps\":0}           | /maxSteps",
        "{\"dataset\":\"d\",\"model\":\"m\",\"optimizer\":\"o\",\"epochs\":1,\"batchSize\":-1} | /batchSize",
        "{\"dataset\":\"d\",\"model\":\"m\",\"optimizer\":\"o\",\"epochs\":1,\"seed\":0.5} | /seed",
        "{\"dataset\":\"d\",\"model\":\"m\",\"optimizer\":\"o\",\"epochs\":1,\"lr\":0.1}  | /lr",
        "{\"dataset\":\"d\",\"model\":\"m\",\"optimizer\":\"o\",\"epochs\":1,\"a/b~c\":1} | /a~1b~0c",
        "[1, 2]                                                                            | ''",
    })
    void eachProblemNamesItsPointer(String spec, String pointer) {
        assertThat(pointers(spec)).containsExactly(pointer);
    }

    @Test
    void everyProblemIsReportedAtOnceWithTheValueFound() {
        List<RunSpecValidator.Problem> problems = RunSpecValidator.validate(JSON.readTree(
                "{\"epochs\":-3,\"extra\":true}"));
        assertThat(problems).extracting(RunSpecValidator.Problem::pointer)
                .containsExactlyInAnyOrder("/extra", "/dataset", "/model", "/optimizer", "/epochs");
        JsonNode rejected = problems.stream().filter(p -> p.pointer().equals("/epochs")).findFirst().orElseThrow()
                .rejectedValue();
        assertThat(rejected.intValue()).isEqualTo(-3);
    }

    @Test
    void aMissingSpecIsOneProblem() {
        assertThat(RunSpecValidator.validate(null)).extracting(RunSpecValidator.Problem::pointer).containsExactly("");
    }
}
