package dev.trainyard.worker.training;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.data.Batch;
import dev.trainyard.engine.data.DataLoader;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.optim.GradClip;
import dev.trainyard.engine.optim.Optimizer;
import dev.trainyard.spec.EvaluationSpec;
import dev.trainyard.spec.RunSpec;
import dev.trainyard.spec.RunSpecs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one training job described by a {@link RunSpec} with the engine: builds the data, model, loss, optimizer and
 * schedule, trains, evaluates, checkpoints, and reports to a {@link TrainingListener}.
 *
 * <pre>{@code
 * var trainer = new Trainer(spec, TrainerOptions.of(dataRoot, runDir), listener);
 * trainer.resume(lastCheckpoint);          // optional: continue a run exactly where the checkpoint left it
 * TrainingResult result = trainer.run();   // blocks; trainer.cancel() from another thread stops it
 * }</pre>
 *
 * <h2>Each step</h2>
 * Forward, loss, a NaN/Inf check (the run fails naming the step, before the optimizer touches the weights), backward,
 * optional gradient clipping, optimizer step, per-step schedule. Then, in this order: training metrics every
 * {@code logging.everySteps}; at the end of an epoch the per-epoch schedule and {@code train/epoch_loss}; evaluation
 * when due (and always after the last step), followed by the plateau schedule and early stopping; a checkpoint when
 * due (and after the last step, and when stopping early); {@link Cadence} says what is due. So everything reported
 * for a step precedes its checkpoint.
 *
 * <h2>Reproducibility and resume</h2>
 * The model is initialized from the engine's default generator seeded with the spec's seed (as
 * {@code torch.manual_seed}); dropout draws from it too. The training order comes from a separate generator, through
 * the engine's {@link DataLoader}, reshuffled every epoch. A checkpoint ({@link RunCheckpoint}) holds the model,
 * optimizer and scheduler state dicts, both generators' states, the state the data generator had when the current
 * epoch started, how many of its batches are done and the loss accumulators ({@link TrainingProgress}),
 * early-stopping and retention state, and the spec. {@link #resume} restores all of it, so a resumed run takes exactly the steps the uninterrupted run would have taken, with bit-identical
 * weights, and reports only the steps after the checkpoint.
 *
 * <p>The trainer binds its own model generator as the engine's default generator ({@link Generator#withDefault}) while
 * it builds the model and while {@link #run()} runs, so several trainers on different threads of one JVM are each
 * bit-reproducible.
 *
 * <p>{@link #preempt()} stops a run at the next step boundary with a checkpoint of that step (status PREEMPTED), for a
 * worker shutting down: another worker resumes from it without losing a step.
 */
public final class Trainer {
    private static final System.Logger LOG = System.getLogger(Trainer.class.getName());
    /** Offsets the data generator's seed from the model's, so the two streams differ. */
    private static final long DATA_SEED_OFFSET = 0x9E3779B97F4A7C15L;

    private final RunSpec spec;
    private final TrainerOptions options;
    private final TrainingListener listener;
    private final TrainingData data;
    private final ModelFactory.BuiltModel built;
    private final Sequential model;
    private final Objective objective;
    private final Optimizer optimizer;
    private final Schedule schedule;
    private final Evaluator evaluator;
    private final EarlyStopping earlyStopping;
    private final Cadence cadence;
    private final Generator modelGenerator;
    private final Generator dataGenerator;
    private final DataLoader<Batch> loader;
    private final long totalSteps;
    private volatile boolean cancelled;
    private volatile boolean preempted;

    // progress (all of it is in checkpoints: progress(), RunCheckpoint)
    private long step;
    private int epoch;
    private int batchInEpoch;
    private byte[] epochStartDataState;
    private double epochLossSum;
    private long epochLossCount;
    private double logLossSum;
    private long logLossCount;
    private Map<String, Double> lastMetrics = Map.of();
    private final List<CheckpointRetention.Entry> checkpoints = new ArrayList<>();
    private TrainingResult.Status endStatus;
    private String endMessage;

    // throughput of the current logging window (not checkpointed: wall-clock)
    private long windowSamples;
    private long windowNanos;

    /**
     * Loads the data and builds everything; throws {@link ModelBuildException} for a model that does not fit the data,
     * {@link IllegalArgumentException} for other mismatches (e.g. class weights), {@link IOException} for data that
     * cannot be read.
     */
    public Trainer(RunSpec spec, TrainerOptions options, TrainingListener listener) throws IOException {
        this.spec = spec;
        this.options = options;
        this.listener = listener;
        this.data = DatasetFactory.load(spec.dataset(), options.dataRoot(), options.artifacts()).inMemory();
        this.objective = Objective.create(spec.loss(), data.numClasses());
        this.modelGenerator = new Generator().manualSeed(spec.seed());
        this.built = Generator.withDefault(modelGenerator,
                () -> ModelFactory.build(spec.model(), data.inputShape(), objective.outputs()));
        this.model = built.module();
        this.optimizer = Optimizers.create(spec.optimizer(), model.parameters());
        this.dataGenerator = new Generator().manualSeed(spec.seed() + DATA_SEED_OFFSET);
        this.loader = DataLoader.builder(data.train()).batchSize(spec.batchSize()).shuffle(true).generator(dataGenerator)
                .numWorkers(options.numWorkers()).build();
        int perEpoch = loader.numBatches();
        this.totalSteps = spec.epochs() != null ? (long) spec.epochs() * perEpoch : spec.maxSteps();
        int totalEpochs = (int) Math.min(Integer.MAX_VALUE, (totalSteps + perEpoch - 1) / perEpoch);
        this.schedule = spec.scheduler() == null ? null : Schedule.create(spec.scheduler(), optimizer, totalEpochs, totalSteps);
        this.evaluator = new Evaluator(spec.metrics(), objective, data.numClasses(), spec.evaluation().batchSize());
        this.earlyStopping = spec.earlyStopping() == null ? null : new EarlyStopping(spec.earlyStopping());
        this.cadence = new Cadence(spec);
        this.epochStartDataState = dataGenerator.getState();
        try {
            Files.createDirectories(options.checkpointDir());
        } catch (IOException e) {
            throw new LocalStorageException("cannot create the checkpoint directory: " + e.getMessage(), e);
        }
    }

    /** Asks the run to stop; the training thread stops before its next step (or evaluation batch). */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Asks the run to stop at the next step boundary after writing a checkpoint of that step; {@link #run()} then
     * returns {@link TrainingResult.Status#PREEMPTED}. An evaluation under way finishes first.
     */
    public void preempt() {
        preempted = true;
    }

    public boolean isCancelled() {
        return cancelled || Thread.currentThread().isInterrupted();
    }

    public RunSpec spec() {
        return spec;
    }

    public ModelFactory.BuiltModel model() {
        return built;
    }

    public TrainingData data() {
        return data;
    }

    /** Optimizer steps the run takes in all. */
    public long totalSteps() {
        return totalSteps;
    }

    /** Optimizer steps done so far. */
    public long step() {
        return step;
    }

    // ------------------------------------------------------------------ resume

    /**
     * Restores the state of a checkpoint this run spec wrote (by this or an earlier worker), so {@link #run()}
     * continues exactly after it. Fails if the checkpoint belongs to a different spec. Returns this.
     */
    public Trainer resume(Path file) throws IOException {
        RunCheckpoint c = RunCheckpoint.load(file);
        RunSpec saved = RunSpecs.parse(c.specJson());
        if (!saved.equals(spec)) {
            throw new IllegalArgumentException(file.getFileName() + ": the checkpoint was written by a different run spec; "
                    + "first difference at " + SpecDiff.firstDifference(RunSpecs.toTree(saved), RunSpecs.toTree(spec)));
        }
        if (!model.stateDict().isEmpty()) {
            model.loadStateDict(c.model());
        }
        optimizer.loadStateDict(c.optimizer());
        if (schedule != null) {
            schedule.loadStateDict(c.scheduler());
        }
        modelGenerator.setState(c.rng().model());
        dataGenerator.setState(c.rng().data());
        epochStartDataState = c.rng().dataEpochStart();
        TrainingProgress p = c.progress();
        step = p.step();
        epoch = p.epoch();
        batchInEpoch = p.batchInEpoch();
        epochLossSum = p.epochLossSum();
        epochLossCount = p.epochLossCount();
        logLossSum = p.logLossSum();
        logLossCount = p.logLossCount();
        endStatus = p.endStatus();
        endMessage = p.endMessage();
        if (earlyStopping != null) {
            earlyStopping.loadStateDict(c.earlyStopping());
        }
        lastMetrics = c.metrics();
        checkpoints.clear();
        checkpoints.addAll(c.checkpoints());
        log("resumed from " + file.getFileName() + " at step " + step + " (epoch " + (epoch + 1) + ", batch " + batchInEpoch
                + " of " + loader.numBatches() + ")");
        return this;
    }

    /** How far the run has got, as a checkpoint of this moment records it. */
    public TrainingProgress progress() {
        return new TrainingProgress(step, epoch, batchInEpoch, epochLossSum, epochLossCount, logLossSum, logLossCount,
                endStatus, endMessage);
    }

    // ------------------------------------------------------------------ the loop

    /** Trains until the run completes, stops early, fails or is cancelled; blocks the calling thread. */
    public TrainingResult run() {
        return Generator.withDefault(modelGenerator, this::train);
    }

    private TrainingResult train() {
        if (endStatus != null) {
            return result(endStatus, endMessage);
        }
        log(String.format(Locale.ROOT, "training%s: %,d parameters; %,d training, %s%,d test examples; %,d steps of %d "
                        + "(%d batches per epoch), from step %d", spec.name() == null ? "" : " " + spec.name(),
                built.parameterCount(), data.train().size(),
                data.validation() == null ? "" : String.format(Locale.ROOT, "%,d validation, ", data.validation().size()),
                data.test().size(), totalSteps, spec.batchSize(), loader.numBatches(), step));
        try {
            while (true) {
                if (batchInEpoch == 0) {
                    epochStartDataState = dataGenerator.getState();
                } else {
                    dataGenerator.setState(epochStartDataState); // resuming mid-epoch: redraw the epoch's order
                }
                try (var it = loader.iterator(batchInEpoch)) {
                    model.train();
                    while (it.hasNext()) {
                        if (isCancelled()) {
                            return cancelled();
                        }
                        if (preempted) {
                            return preempted();
                        }
                        long start = System.nanoTime();
                        Batch batch = it.next();
                        optimizer.zeroGrad();
                        Tensor loss = objective.loss(model.call(batch.x()), batch.y());
                        double value = loss.item();
                        if (!Double.isFinite(value)) {
                            return failed(value);
                        }
                        loss.backward();
                        clipGradients();
                        optimizer.step();
                        step++;
                        batchInEpoch++;
                        if (schedule != null) {
                            schedule.afterStep();
                        }
                        epochLossSum += value;
                        epochLossCount++;
                        logLossSum += value;
                        logLossCount++;
                        windowSamples += batch.batchSize();
                        windowNanos += System.nanoTime() - start;
                        listener.onStep(batch.batchSize());
                        TrainingResult end = afterStep();
                        if (end != null) {
                            return end;
                        }
                    }
                }
            }
        } catch (Evaluator.Cancelled e) {
            return cancelled();
        } finally {
            loader.close();
        }
    }

    private void clipGradients() {
        if (spec.gradClip() == null) {
            return;
        }
        if (spec.gradClip().maxNorm() != null) {
            GradClip.clipGradNorm_(model.parameters(), spec.gradClip().maxNorm());
        } else {
            GradClip.clipGradValue_(model.parameters(), spec.gradClip().value());
        }
    }

    /** Logging, epoch end, evaluation, early stopping and checkpointing after a step; the result if the run ended. */
    private TrainingResult afterStep() {
        int stepEpoch = epoch + 1;
        if (cadence.logs(step)) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("train/loss", logLossSum / logLossCount);
            m.put("train/lr", optimizer.paramGroups().getFirst().lr());
            m.put("train/samples_per_sec", windowNanos == 0 ? 0 : windowSamples * 1e9 / windowNanos);
            logLossSum = 0;
            logLossCount = 0;
            windowSamples = 0;
            windowNanos = 0;
            emit(step, stepEpoch, m);
        }
        boolean epochEnd = batchInEpoch == loader.numBatches();
        Map<String, Double> epochMetrics = new LinkedHashMap<>();
        if (epochEnd) {
            epoch++;
            batchInEpoch = 0;
            epochMetrics.put("train/epoch_loss", epochLossSum / epochLossCount);
            epochLossSum = 0;
            epochLossCount = 0;
            if (schedule != null) {
                schedule.afterEpoch();
            }
        }
        boolean done = step >= totalSteps;
        Cadence.After after = new Cadence.After(step, epochEnd, epoch, done);
        boolean stop = false;
        if (cadence.evaluates(after)) {
            long start = System.nanoTime();
            Map<String, Double> m = new LinkedHashMap<>();
            for (String split : spec.evaluation().splits()) {
                m.putAll(evaluator.evaluate(model, data.split(split), EvaluationSpec.prefix(split), this::isCancelled));
            }
            m.putAll(epochMetrics);
            lastMetrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
            emit(step, stepEpoch, m);
            if (schedule != null) {
                schedule.afterEvaluation(m);
            }
            if (earlyStopping != null && earlyStopping.update(m)) {
                stop = true;
            }
            log(String.format(Locale.ROOT, "%s step %d: %s (evaluated in %.1f s)", epochEnd ? "epoch " + epoch + "," : "epoch "
                    + stepEpoch + ",", step, format(m), (System.nanoTime() - start) / 1e9));
        } else if (epochEnd) {
            emit(step, stepEpoch, epochMetrics);
        }
        if (stop) {
            endStatus = TrainingResult.Status.EARLY_STOPPED;
            endMessage = "early stopping at step " + step + ": " + earlyStopping.reason();
            log(endMessage);
        } else if (done) {
            endStatus = TrainingResult.Status.COMPLETED;
            endMessage = "completed " + step + " steps (" + epoch + " epochs)";
        }
        if (cadence.checkpoints(after, endStatus != null)) {
            saveCheckpoint(stepEpoch);
        }
        if (endStatus != null) {
            if (endStatus == TrainingResult.Status.COMPLETED) {
                log(endMessage);
            }
            return result(endStatus, endMessage);
        }
        return null;
    }

    private TrainingResult failed(double value) {
        long at = step + 1;
        String message = String.format(Locale.ROOT, "loss is %s at step %d (epoch %d, batch %d of %d): training diverged; "
                        + "lower the learning rate (lr %s) or add gradClip", Double.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf",
                at, epoch + 1, batchInEpoch + 1, loader.numBatches(), optimizer.paramGroups().getFirst().lr());
        log(message);
        return result(TrainingResult.Status.FAILED, message);
    }

    private TrainingResult preempted() {
        if (batchInEpoch == 0) {
            dataGenerator.setState(epochStartDataState); // the new epoch's iterator already drew its order
        }
        // after an epoch's last step the epoch counter has moved on; that step still belongs to the finished epoch
        int stepEpoch = batchInEpoch == 0 && step > 0 ? epoch : epoch + 1;
        if (checkpoints.stream().noneMatch(e -> e.step() == step)) {
            saveCheckpoint(stepEpoch);
        }
        String message = "preempted at step " + step;
        log(message);
        return result(TrainingResult.Status.PREEMPTED, message);
    }

    private TrainingResult cancelled() {
        String message = "cancelled at step " + step;
        log(message);
        return result(TrainingResult.Status.CANCELLED, message);
    }

    private TrainingResult result(TrainingResult.Status status, String message) {
        CheckpointRetention.Entry best = CheckpointRetention.best(checkpoints,
                spec.checkpoint().keepBest());
        Path last = checkpoints.isEmpty() ? null : options.checkpointDir().resolve(checkpoints.getLast().file());
        return new TrainingResult(status, step, epoch, lastMetrics, last,
                best == null ? null : options.checkpointDir().resolve(best.file()), message);
    }

    // ------------------------------------------------------------------ checkpoints

    private void saveCheckpoint(int stepEpoch) {
        String name = String.format(Locale.ROOT, "step-%09d.ckpt", step);
        Path file = options.checkpointDir().resolve(name);
        CheckpointRetention.Entry entry = new CheckpointRetention.Entry(step, stepEpoch, name, lastMetrics);
        List<CheckpointRetention.Entry> all = new ArrayList<>(checkpoints);
        all.removeIf(e -> e.step() == step);
        all.add(entry);
        List<CheckpointRetention.Entry> keep = CheckpointRetention.keep(all, spec.checkpoint());
        List<CheckpointRetention.Entry> prune = CheckpointRetention.prune(all, spec.checkpoint());

        RunCheckpoint checkpoint = new RunCheckpoint(RunSpecs.toJson(spec), model.stateDict(), optimizer.stateDict(),
                schedule == null ? null : schedule.stateDict(),
                new RunCheckpoint.Rng(modelGenerator.getState(), dataGenerator.getState(),
                        batchInEpoch == 0 ? dataGenerator.getState() : epochStartDataState),
                progress(), earlyStopping == null ? null : earlyStopping.stateDict(), lastMetrics, keep);
        try {
            checkpoint.save(file);
        } catch (IOException e) {
            throw new LocalStorageException("saving checkpoint " + file.getFileName() + ": " + withoutDirectories(file, e), e);
        }
        checkpoints.clear();
        checkpoints.addAll(keep);
        log("checkpoint " + name + " (step " + step + ")");
        try {
            listener.onCheckpoint(step, stepEpoch, file, lastMetrics);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "TrainingListener.onCheckpoint failed", e);
        }
        for (CheckpointRetention.Entry e : prune) {
            if (e.step() == step) {
                continue;
            }
            Path old = options.checkpointDir().resolve(e.file());
            try {
                Files.deleteIfExists(old);
            } catch (IOException ex) {
                LOG.log(System.Logger.Level.WARNING, "could not delete old checkpoint " + old, ex);
            }
            try {
                listener.onCheckpointRemoved(e.step(), old);
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "TrainingListener.onCheckpointRemoved failed", ex);
            }
        }
    }

    // ------------------------------------------------------------------ reporting

    private void emit(long step, int epoch, Map<String, Double> metrics) {
        try {
            listener.onMetrics(step, epoch, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "TrainingListener.onMetrics failed", e);
        }
    }

    private void log(String line) {
        try {
            listener.onLog(line);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "TrainingListener.onLog failed", e);
        }
    }

    private static String format(Map<String, Double> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(' ').append(String.format(Locale.ROOT, "%.4f", v)));
        return sb.toString();
    }

    /** An error's message with the worker's directories left out: the platform and its users see it. */
    static String withoutDirectories(Path file, Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String name = file.getFileName().toString();
        return m.replace(file.toAbsolutePath().toString(), name).replace(file.toString(), name);
    }
}
