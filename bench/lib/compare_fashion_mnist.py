"""Runs Fashion-MNIST training in Trainyard, PyTorch and DJL interleaved and prints a table of medians.

Called by bench/compare-fashion-mnist, which builds the engine first and passes the commands' environment; see the
usage there. Each engine prints `<model> epoch N: S s/epoch, R samples/s, test acc A` per epoch; this script reads
those lines and times each whole process (JVM or interpreter start, data loading and evaluation included).
"""
import os
import platform
import re
import statistics
import subprocess
import sys
import time

EPOCH_LINE = re.compile(r"^(\w+) epoch (\d+): ([0-9.]+) s/epoch, .*test acc ([0-9.]+)")


class Engine:
    def __init__(self, name, command, peer):
        self.name = name
        self.command = command
        self.peer = peer
        self.epochs = []   # per repeat: list of seconds per epoch
        self.walls = []    # per repeat: process wall time in seconds
        self.accs = []     # per repeat: last epoch's test accuracy
        self.failures = 0


def cpu_model():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def cache_sizes():
    out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    parts = []
    for line in out.splitlines():
        if line.startswith(("L1d cache:", "L2 cache:", "L3 cache:")):
            key, value = line.split(":", 1)
            parts.append("%s %s" % (key.replace(" cache", ""), value.strip()))
    if not parts:
        # some VMs report no cache levels to lscpu; /proc/cpuinfo still has the one size the hypervisor exposes
        with open("/proc/cpuinfo") as f:
            sizes = [line.split(":", 1)[1].strip() for line in f if line.startswith("cache size")]
        parts.append("cache size %s per /proc/cpuinfo" % sizes[0] if sizes else "cache sizes not reported")
    return ", ".join(parts)


def jdk_version(java):
    out = [line for line in subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
           .stderr.splitlines() if not line.startswith("Picked up")]
    return " / ".join(line.strip() for line in out[:2]) if out else "unknown JDK"


def torch_version():
    out = subprocess.run(["/usr/bin/python3", "-c", "import torch; print(torch.__version__)"],
                         capture_output=True, text=True, check=False)
    return out.stdout.strip() or "not installed"


def run_once(engine, epochs, log):
    start = time.perf_counter()
    proc = subprocess.run(engine.command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    seconds = {}
    acc = None
    for line in proc.stdout.splitlines():
        m = EPOCH_LINE.match(line.strip())
        if m:
            seconds[int(m.group(2))] = float(m.group(3))
            acc = float(m.group(4))
    if proc.returncode != 0 or len(seconds) != epochs:
        engine.failures += 1
        log.write("  %s FAILED (exit %d, %d of %d epoch lines); last stderr lines:\n    %s\n"
                  % (engine.name, proc.returncode, len(seconds), epochs,
                     "\n    ".join(proc.stderr.strip().splitlines()[-5:])))
        return
    engine.epochs.append([seconds[e] for e in range(1, epochs + 1)])
    engine.walls.append(wall)
    engine.accs.append(acc)
    log.write("  %-22s epochs %s  whole run %.2f s\n"
              % (engine.name, " ".join("%.2f" % s for s in engine.epochs[-1]), wall))


def steady_epochs(epochs):
    """The epochs counted as steady: after the first two when there are four or more, else after the first."""
    first = 3 if epochs >= 4 else 2
    return list(range(first, epochs + 1))


def summary(engine, epochs):
    steady = steady_epochs(epochs)
    per_epoch = [statistics.median(run[e - 1] for run in engine.epochs) for e in range(1, epochs + 1)]
    steady_runs = [statistics.median(run[e - 1] for e in steady) for run in engine.epochs] if steady else []
    return {
        "epoch": per_epoch,
        "steady": statistics.median(steady_runs) if steady_runs else None,
        "steady_range": (min(steady_runs), max(steady_runs)) if steady_runs else None,
        "loop": statistics.median(sum(run) for run in engine.epochs),
        "wall": statistics.median(engine.walls),
        "wall_range": (min(engine.walls), max(engine.walls)),
        "acc": statistics.median(engine.accs),
    }


def fmt(value):
    return "-" if value is None else ("%.2f" % value if value < 100 else "%.1f" % value)


def main():
    model, epochs, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    java = os.environ["JAVA"]
    trainyard_threads = os.environ["TRAINYARD_THREADS"].split()
    torch_threads = os.environ["TORCH_THREADS"].split()
    djl_threads = os.environ["DJL_THREADS"].split()
    peers_dir = os.environ.get("PEERS_DIR", "")
    root = os.environ["ROOT"]
    engines = []
    for t in trainyard_threads:
        engines.append(Engine("Trainyard, %s thr" % t, [os.path.join(root, "bench", "fashion-mnist"), model,
                                                         str(epochs), t], peer=False))
    for t in torch_threads:
        engines.append(Engine("PyTorch %s, %s thr" % (torch_version(), t),
                              ["/usr/bin/python3", os.path.join(root, "bench", "fashion_mnist_torch.py"), model,
                               str(epochs), t], peer=True))
    djl_runner = os.path.join(peers_dir, "run_djl.sh") if peers_dir else ""
    djl_built = djl_runner and os.path.isfile(os.path.join(peers_dir, "djl", "target", "djl-1.0.jar")) \
        and os.path.isfile(os.path.join(peers_dir, "djl", "target", "classpath.txt"))
    if djl_built:
        for t in djl_threads:
            engines.append(Engine("DJL (libtorch), %s thr" % t, [djl_runner, model, str(epochs), t], peer=True))

    out = sys.stdout
    out.write("Fashion-MNIST %s, %d epochs, %d repeats, interleaved\n" % (model, epochs, repeats))
    out.write("CPU: %s (%d cores; %s)\n" % (cpu_model(), os.cpu_count(), cache_sizes()))
    out.write("JDK: %s\n" % jdk_version(java))
    if os.environ.get("AVX2_NOTE"):
        out.write("%s\n" % os.environ["AVX2_NOTE"])
    out.write("load average at start: %s\n" % " ".join("%.2f" % x for x in os.getloadavg()))
    if not djl_built:
        out.write("DJL: skipped, no built runner in %s. Build it once:\n"
                  "  cp -r /work/shared/peers /work/wt/_peers && cd /work/wt/_peers && "
                  "JAVA_HOME=%s mvn -q package\n"
                  "  (or set PEERS_DIR to a built copy of the peers folder)\n"
                  % (peers_dir or "PEERS_DIR", os.path.dirname(os.path.dirname(java))))
    out.flush()
    for r in range(repeats):
        # rotate the order each repeat so that no engine always runs first (after an idle spell) or last
        order = engines[r % len(engines):] + engines[:r % len(engines)]
        out.write("repeat %d of %d:\n" % (r + 1, repeats))
        for engine in order:
            run_once(engine, epochs, out)
            out.flush()
    out.write("load average at end: %s\n\n" % " ".join("%.2f" % x for x in os.getloadavg()))

    done = [e for e in engines if e.epochs]
    if not done:
        out.write("no engine completed a run\n")
        return 1
    summaries = {e.name: summary(e, epochs) for e in done}
    steady = steady_epochs(epochs)
    header = ["engine"] + ["ep %d" % e for e in range(1, epochs + 1)] \
        + ["steady", "steady min-max", "ep1/steady", "loop", "whole run", "whole min-max", "acc"]
    rows = []
    for e in done:
        s = summaries[e.name]
        rows.append([e.name] + [fmt(v) for v in s["epoch"]] + [
            fmt(s["steady"]),
            "%s-%s" % (fmt(s["steady_range"][0]), fmt(s["steady_range"][1])) if s["steady_range"] else "-",
            "%.2f" % (s["epoch"][0] / s["steady"]) if s["steady"] else "-",
            fmt(s["loop"]), fmt(s["wall"]),
            "%s-%s" % (fmt(s["wall_range"][0]), fmt(s["wall_range"][1])),
            "%.4f" % s["acc"]])
    out.write("medians in seconds over %d repeats (steady: median of epochs %s of each run, then the median over runs;"
              " loop: the epochs' sum; whole run: process wall time incl. start-up, data loading and evaluation)\n\n"
              % (repeats, ", ".join(str(e) for e in steady) if steady else "none"))
    out.write("| " + " | ".join(header) + " |\n")
    out.write("|" + "---|" * len(header) + "\n")
    for row in rows:
        out.write("| " + " | ".join(row) + " |\n")

    peers = [e for e in done if e.peer]
    mine = [e for e in done if not e.peer]
    if peers and mine:
        out.write("\nspeed of Trainyard against the best peer in each column (peer's seconds / Trainyard's: "
                  "above 1.00 Trainyard is faster)\n\n")
        columns = [("epoch 1", lambda s: s["epoch"][0]), ("steady", lambda s: s["steady"]),
                   ("loop", lambda s: s["loop"]), ("whole run", lambda s: s["wall"])]
        out.write("| Trainyard | " + " | ".join(c for c, _ in columns) + " |\n|---|" + "---|" * len(columns) + "\n")
        for e in mine:
            cells = []
            for _, pick in columns:
                values = [(pick(summaries[p.name]), p.name) for p in peers if pick(summaries[p.name]) is not None]
                value = pick(summaries[e.name])
                if not values or value is None:
                    cells.append("-")
                    continue
                best, best_name = min(values)
                cells.append("%.2fx (%s)" % (best / value, best_name))
            out.write("| %s | %s |\n" % (e.name, " | ".join(cells)))
    failed = [e for e in engines if e.failures]
    for e in failed:
        out.write("\n%s failed %d of %d runs (left out of its medians)\n" % (e.name, e.failures, repeats))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
