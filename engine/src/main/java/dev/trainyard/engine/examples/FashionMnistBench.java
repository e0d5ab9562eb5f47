package dev.trainyard.engine.examples;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.data.FashionMNIST;
import dev.trainyard.engine.data.transforms.ToTensor;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.optim.Adam;
import dev.trainyard.engine.serialization.SafeTensors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Locale;

/**
 * The training loop behind {@code bench/fashion-mnist MODEL EPOCHS [THREADS]}: pixels scaled to [0, 1], Adam with
 * lr 1e-3, batch 64, cross-entropy, reshuffled each epoch, seed 0 (or $SEED) — the same loop as
 * bench/fashion_mnist_torch.py.
 * After each epoch it prints {@code <model> epoch N: S s/epoch, R samples/s, test acc A}; S counts the training
 * loop only. With {@code -Dtrainyard.bench.cpu=true} the line ends with the process's CPU seconds in that loop (all
 * threads, the JIT compilers' included), which other load on the machine disturbs less than wall time. With
 * {@code -Dtrainyard.bench.phases=true} it prints start-up and warm-up timestamps on stderr ({@link Phases}).
 * <p>
 * With {@code --start-from DIR} (bench/fashion-mnist-parity) it retraces a PyTorch run instead of drawing its own
 * randomness: the initial weights come from DIR/init.safetensors and each epoch's sample order from
 * DIR/orders.safetensors, both written by {@code bench/fashion_mnist_torch.py --export DIR}. If DIR/final.safetensors
 * exists, it then prints how far each trained tensor is from PyTorch's.
 */
public final class FashionMnistBench {
    private static final int BATCH = 64;
    private static final boolean CPU_TIME = Boolean.getBoolean("trainyard.bench.cpu");
    private static final Phases PHASES = new Phases(Boolean.getBoolean("trainyard.bench.phases"));

    private FashionMnistBench() {
    }

    /** Loaded only with -Dtrainyard.bench.cpu=true: the management classes behind it cost start-up some 300 classes. */
    private static final class ProcessCpu {
        static final com.sun.management.OperatingSystemMXBean BEAN =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    }

    public static void main(String[] args) throws Exception {
        PHASES.mark("main");
        if (args.length != 2 && !(args.length == 4 && args[2].equals("--start-from"))) {
            System.err.println("usage: FashionMnistBench MODEL EPOCHS [--start-from DIR]   (MODEL: mlp | cnn)");
            System.exit(2);
        }
        String name = args[0];
        int epochs = Integer.parseInt(args[1]);
        Path startFrom = args.length == 4 ? Path.of(args[3]) : null;
        Path root = dataRoot();
        long seed = Long.parseLong(System.getenv().getOrDefault("SEED", "0"));
        Tensor.manualSeed(seed);
        Module model = FashionMnistModels.byName(name);
        Tensor orders = null;
        if (startFrom != null) {
            model.loadStateDict(SafeTensors.load(startFrom.resolve("init.safetensors")).tensors(), true);
            orders = SafeTensors.load(startFrom.resolve("orders.safetensors")).tensors().get("orders");
            if (orders == null || orders.dim() != 2 || orders.size(0) < epochs) {
                throw new IllegalArgumentException(startFrom.resolve("orders.safetensors") + ": expected a tensor "
                        + "'orders' of shape [>= " + epochs + ", N], found " + (orders == null ? "none" : orders));
            }
        }
        PHASES.mark("model built");
        Tensor[] train = load(root, true);
        Tensor[] test = load(root, false);
        Tensor xTrain = train[0];
        Tensor yTrain = train[1];
        Tensor xTest = test[0];
        Tensor yTest = test[1];
        PHASES.mark("data loaded");
        Adam opt = new Adam(model.parameters(), 1e-3);
        Generator order = new Generator().manualSeed(seed);
        int n = xTrain.size(0);
        ThreadCpu threadCpu = new ThreadCpu(CPU_TIME);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            model.train();
            Tensor perm = orders != null ? orders.select(0, epoch - 1) : Tensor.randperm(n, order);
            long start = System.nanoTime();
            long cpuStart = CPU_TIME ? ProcessCpu.BEAN.getProcessCpuTime() : 0;
            threadCpu.mark();
            for (int i = 0, step = 1; i < n; i += BATCH, step++) {
                Tensor idx = perm.slice(0, i, Math.min(n, i + BATCH));
                Tensor loss = F.crossEntropy(model.call(xTrain.indexSelect(0, idx)), yTrain.indexSelect(0, idx));
                opt.zeroGrad();
                loss.backward();
                opt.step();
                if (PHASES.enabled() && (step == 1 || step == 10 || step == 50 || step == 200)) {
                    PHASES.mark("epoch " + epoch + " step " + step);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (PHASES.enabled()) {
                PHASES.mark("epoch " + epoch + " trained");
            }
            String cpu = CPU_TIME ? String.format(Locale.ROOT, ", cpu %.2f s%s", (ProcessCpu.BEAN.getProcessCpuTime() - cpuStart) / 1e9,
                    threadCpu.since()) : "";
            double acc = accuracy(model, xTest, yTest);
            System.out.printf(Locale.ROOT, "%s epoch %d: %.2f s/epoch, %d samples/s, test acc %.4f%s%n",
                    name, epoch, seconds, Math.round(n / seconds), acc, cpu);
            if (PHASES.enabled()) {
                PHASES.mark("epoch " + epoch + " evaluated");
            }
        }
        Path torchFinal = startFrom == null ? null : startFrom.resolve("final.safetensors");
        if (torchFinal != null && Files.exists(torchFinal)) {
            printDistance(model.stateDict(), SafeTensors.load(torchFinal).tensors());
        }
    }

    /** For each trained tensor: the largest difference from PyTorch's, and that relative to PyTorch's largest value. */
    static void printDistance(Map<String, Tensor> ours, Map<String, Tensor> torch) {
        for (var entry : ours.entrySet()) {
            Tensor theirs = torch.get(entry.getKey());
            double maxDiff = entry.getValue().sub(theirs).abs().max().item();
            double scale = theirs.abs().max().item();
            System.out.printf(Locale.ROOT, "%s: max |trainyard - pytorch| %.3g (%.3g of max |pytorch| %.3g)%n",
                    entry.getKey(), maxDiff, maxDiff / scale, scale);
        }
    }

    /** Where Fashion-MNIST is: $FASHION_MNIST_ROOT, else Debian's dataset-fashion-mnist. */
    static Path dataRoot() {
        return Path.of(System.getenv().getOrDefault("FASHION_MNIST_ROOT", "/usr/share/datasets/fashion-mnist"));
    }

    /**
     * A split's images as {@link #pixels} and its labels. The uint8 images are garbage once this returns: loaded in
     * main, they stayed reachable, and the first young collections copied them (47 MB) into the old generation.
     */
    static Tensor[] load(Path root, boolean train) {
        FashionMNIST split = new FashionMNIST(root, train);
        return new Tensor[] {ToTensor.grayscaleBatch(split.data()), split.targets()};
    }


    static double accuracy(Module model, Tensor x, Tensor y) {
        model.eval();
        long correct = 0;
        try (var g = Autograd.noGrad()) {
            for (int i = 0; i < x.size(0); i += 1000) {
                int end = Math.min(x.size(0), i + 1000);
                Tensor pred = model.call(x.slice(0, i, end)).argmax(1);
                correct += pred.eq(y.slice(0, i, end)).sum().itemLong();
            }
        }
        return (double) correct / x.size(0);
    }
}
