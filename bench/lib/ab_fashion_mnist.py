"""Alternates bench/fashion-mnist between two checkouts in ABBA order and compares their epochs and whole runs.

Called by bench/ab-fashion-mnist, which checks its arguments and builds both engines; see the usage there.
"""
import os
import re
import statistics
import subprocess
import sys
import time

EPOCH_LINE = re.compile(r"^\w+ epoch (\d+): ([0-9.]+) s/epoch")


def run(checkout, model, epochs, options):
    env = dict(os.environ)
    env.pop("JAVA_TOOL_OPTIONS", None)
    if options:
        env["JAVA_TOOL_OPTIONS"] = options
    start = time.monotonic()
    proc = subprocess.run([os.path.join(checkout, "bench", "fashion-mnist"), model, str(epochs)], cwd=checkout,
                          env=env, capture_output=True, text=True, check=False)
    wall = time.monotonic() - start
    seconds = [float(m.group(2)) for m in map(EPOCH_LINE.match, proc.stdout.splitlines()) if m]
    if proc.returncode != 0 or len(seconds) != epochs:
        sys.exit("bench/fashion-mnist failed in %s (exit %d):\n%s" % (checkout, proc.returncode, proc.stderr[-2000:]))
    return seconds, wall


def steady(seconds):
    return statistics.median(seconds[2:]) if len(seconds) > 2 else seconds[-1]


def main():
    a_dir, b_dir, model, epochs, pairs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    sides = {"A": (a_dir, os.environ.get("A_OPTS", "")), "B": (b_dir, os.environ.get("B_OPTS", ""))}
    for name, (checkout, options) in sides.items():
        print("%s: %s%s" % (name, checkout, " with JAVA_TOOL_OPTIONS=" + options if options else ""))
    print("load average at start: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    columns = ["ep %d" % (e + 1) for e in range(epochs)] + ["steady", "whole run"]
    results = {"A": [], "B": []}
    for pair in range(1, pairs + 1):
        for name in ("A", "B") if pair % 2 else ("B", "A"):
            seconds, wall = run(sides[name][0], model, epochs, sides[name][1])
            results[name].append(seconds + [steady(seconds), wall])
            print("pair %d %s: epochs %s  whole run %.2f s" % (pair, name, " ".join("%.2f" % s for s in seconds),
                                                                 wall), flush=True)
    print("load average at end: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    print()
    print("medians over %d pairs, seconds (steady: median of epochs 3 on, the last epoch for fewer than 3)" % pairs)
    print()
    print("| | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    medians = {}
    for name in ("A", "B"):
        medians[name] = [statistics.median(run[c] for run in results[name]) for c in range(len(columns))]
        print("| %s | %s |" % (name, " | ".join("%.2f" % m for m in medians[name])))
    print("| B / A | %s |" % " | ".join("%.3f" % (b / a) for a, b in zip(medians["A"], medians["B"])))
    shorter = [sum(1 for a, b in zip(results["A"], results["B"]) if b[c] < a[c]) for c in range(len(columns))]
    print("| B shorter | %s |" % " | ".join("%d of %d" % (s, pairs) for s in shorter))


if __name__ == "__main__":
    main()
