#!/bin/sh
# The worker image's entrypoint: starts the worker's JVM with the options ./trainyard worker gives it, choosing those
# that depend on the node where the container starts (its CPU and its kernel's huge-page mode), then passes on the
# container's arguments. Other JVM options: JAVA_TOOL_OPTIONS. TRAINYARD_CPUINFO and TRAINYARD_THP_DEFRAG name other
# files to read than /proc/cpuinfo and the THP defrag mode (for tests).
#
# - --add-modules jdk.incubator.vector: the engine's SIMD kernels (without it training runs about 7x slower).
# - The parallel collector with a young generation capped at 512 MB: fewer fresh pages faulted in as it grows, so a
#   run's first epochs cost less (BENCHMARKS.md, "Warm-up").
# - The CompileCommands have C2 compile the Vector API kernels (the engine classes that import jdk.incubator.vector)
#   after 1/20 of the usual calls, so a run's first steps do not run them boxed; Tier4BackEdgeThreshold has C2
#   compile them whole, not first on stack (BENCHMARKS.md, "Session 7, eng-warmup" and "Session 15, eng-jit"). C2's
#   thresholds are ten times the defaults, the CPU backend scaled back to them (0.1) and the kernels to 1/20 (0.005;
#   the last matching CompileCommand wins): the engine's glue stays in C1's code for a run's first epochs
#   (BENCHMARKS.md, "Session 22").
# - The compiler directives (/app/jit-directives.json, the repository's engine/jit-directives.json) keep C2 from
#   compiling the Vector API's own methods apart from the kernels that inline them, which left the kernels waiting in
#   its queue during a run's first steps (BENCHMARKS.md, "Session 21"). The JVM prints "1 compiler directives added".
# - On CPUs without AVX-512, strip-mined loops: the JVM's vectors are 256 bits there, and only with them does C2 keep
#   the GEMM's 6-row register tiles in AVX2's 16 registers (BENCHMARKS.md, "Session 16"). Not with AVX-512, where
#   they made the cnn's epochs dearer.
# - -XX:+UseTransparentHugePages unless the node's THP defrag mode is madvise or always: there a heap's first touches
#   stall in compaction once the page cache fills memory (docs/operations.md).
set -eu
cpuinfo=${TRAINYARD_CPUINFO:-/proc/cpuinfo}
thp_defrag=${TRAINYARD_THP_DEFRAG:-/sys/kernel/mm/transparent_hugepage/defrag}
node_options=""
if ! grep -qw avx512f "$cpuinfo" 2>/dev/null; then
  node_options="-XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000"
fi
case "$(cat "$thp_defrag" 2>/dev/null || true)" in
  *"[defer]"*|*"[defer+madvise]"*|*"[never]"*) node_options="$node_options -XX:+UseTransparentHugePages" ;;
esac
# node_options unquoted: its words are separate options
# shellcheck disable=SC2086
exec java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -XX:+UseParallelGC -XX:MaxNewSize=512m $node_options \
  -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 -XX:Tier4CompileThreshold=150000 \
  -XX:Tier4BackEdgeThreshold=20000000 \
  -XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=/app/jit-directives.json \
  -XX:CompileCommand=quiet \
  -XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.*::*,0.1 \
  -XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.Gemm*::*,0.005 \
  -XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.FloatVectorKernels::*,0.005 \
  -XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.AdamFloat32::*,0.005 \
  -XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.SgdFloat32::*,0.005 \
  -XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.RmspropFloat32::*,0.005 \
  -XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.AdagradFloat32::*,0.005 \
  -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -jar /app/training-worker.jar "$@"
