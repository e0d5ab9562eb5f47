package dev.trainyard.engine.examples;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.data.FashionMNIST;
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
 * threads, the JIT compilers' included), which other load on the machine disturbs less than wall time.
 * <p>
 * With {@code --start-from DIR} (bench/fashion-mnist-parity) it retraces a PyTorch run instead of drawing its own
 * randomness: the initial weights come from DIR/init.safetensors and each epoch's sample order from
 * DIR/orders.safetensors, both written by {@code bench/fashion_mnist_torch.py --export DIR}. If DIR/final.safetensors
 * exists, it then prints how far each trained tensor is from PyTorch's.
 */
public final class FashionMnistBench {
    private static final int BATCH = 64;
    private static final boolean CPU_TIME = Boolean.getBoolean("trainyard.bench.cpu");
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private FashionMnistBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 && !(args.length == 4 && args[2].equals("--start-from"))) {
            System.err.println("usage: FashionMnistBench MODEL EPOCHS [--start-from DIR]   (MODEL: mlp | cnn)");
            System.exit(2);
        }
        String name = args[0];
        int epochs = Integer.parseInt(args[1]);
        Path startFrom = args.length == 4 ? Path.of(args[3]) : null;
        Path root = Path.of(System.getenv().getOrDefault("FASHION_MNIST_ROOT", "/usr/share/datasets/fashion-mnist"));
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
        FashionMNIST train = new FashionMNIST(root, true);
        FashionMNIST test = new FashionMNIST(root, false);
        Tensor xTrain = pixels(train.data());
        Tensor yTrain = train.targets();
        Tensor xTest = pixels(test.data());
        Tensor yTest = test.targets();
        Adam opt = new Adam(model.parameters(), 1e-3);
        Generator order = new Generator().manualSeed(seed);
        int n = xTrain.size(0);
        ThreadCpu threadCpu = new ThreadCpu(CPU_TIME);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            model.train();
            Tensor perm = orders != null ? orders.select(0, epoch - 1) : Tensor.randperm(n, order);
            long start = System.nanoTime();
            long cpuStart = CPU_TIME ? PROCESS.getProcessCpuTime() : 0;
            threadCpu.mark();
            for (int i = 0; i < n; i += BATCH) {
                Tensor idx = perm.slice(0, i, Math.min(n, i + BATCH));
                Tensor loss = F.crossEntropy(model.call(xTrain.indexSelect(0, idx)), yTrain.indexSelect(0, idx));
                opt.zeroGrad();
                loss.backward();
                opt.step();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String cpu = CPU_TIME ? String.format(Locale.ROOT, ", cpu %.2f s%s", (PROCESS.getProcessCpuTime() - cpuStart) / 1e9,
                    threadCpu.since()) : "";
            double acc = accuracy(model, xTest, yTest);
            System.out.printf(Locale.ROOT, "%s epoch %d: %.2f s/epoch, %d samples/s, test acc %.4f%s%n",
                    name, epoch, seconds, Math.round(n / seconds), acc, cpu);
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

    /** uint8 images [N, 28, 28] as float32 [N, 1, 28, 28] in [0, 1]. */
    static Tensor pixels(Tensor images) {
        return images.to(DType.FLOAT32).div(255.0).unsqueeze(1);
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
