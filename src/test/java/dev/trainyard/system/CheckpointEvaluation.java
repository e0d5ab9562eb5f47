package dev.trainyard.system;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.data.Batch;
import dev.trainyard.engine.data.DataLoader;
import dev.trainyard.engine.metrics.Accuracy;
import dev.trainyard.engine.metrics.Average;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.serialization.Checkpoint;
import dev.trainyard.spec.RunSpec;
import dev.trainyard.spec.RunSpecs;
import dev.trainyard.worker.training.ArtifactResolver;
import dev.trainyard.worker.training.DatasetFactory;
import dev.trainyard.worker.training.ModelFactory;
import dev.trainyard.worker.training.TrainingData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads a downloaded run checkpoint with the engine, as a user would: the spec inside it rebuilds the model and the
 * test split, the weights come from its {@code model} entry, and the model is evaluated on the test split.
 */
final class CheckpointEvaluation {
    private CheckpointEvaluation() {
    }

    /** The checkpoint's spec, as the run ran it (every default written out). */
    static RunSpec spec(Path checkpoint) throws IOException {
        return RunSpecs.parse(String.valueOf(Checkpoint.load(checkpoint).get("spec")));
    }

    /** The fraction of the run's test examples the checkpoint's model classifies correctly (micro accuracy). */
    @SuppressWarnings("try") // the no-grad guard is only closed
    static double testAccuracy(Path checkpoint, Path dataRoot) throws IOException {
        Map<String, Object> state = Checkpoint.load(checkpoint);
        RunSpec spec = RunSpecs.parse(String.valueOf(state.get("spec")));
        TrainingData data = DatasetFactory.load(spec.dataset(), dataRoot, ArtifactResolver.inDirectory(dataRoot.resolve("artifacts")));
        Sequential model = ModelFactory.build(spec.model(), data.inputShape(), data.numClasses()).module();
        model.loadStateDict(Checkpoint.tensors(state, "model"));
        model.eval();
        Accuracy accuracy = new Accuracy(data.numClasses(), Average.MICRO, 1);
        var loader = DataLoader.builder(data.test()).batchSize(spec.evaluation().batchSize())
                .generator(new Generator().manualSeed(0)).build();
        try (var noGrad = Autograd.noGrad(); var batches = loader.iterator()) {
            while (batches.hasNext()) {
                Batch b = batches.next();
                Tensor scores = model.call(b.x());
                accuracy.update(scores, b.y());
            }
        }
        return accuracy.compute().item();
    }
}
