# Sourced by bench scripts: ENGINE_JIT_OPTIONS, the JVM options that have the JIT compile the engine's Vector API
# kernels (the classes that import jdk.incubator.vector) after 1/20 of the usual calls and loop iterations. Until C2
# has compiled a kernel, its vectors are boxed objects (the interpreter and C1 do not intrinsify the Vector API), some
# ten times slower than plain loops; a kernel called a few times per step with a long loop otherwise runs boxed for
# the first hundreds of steps. Tier4BackEdgeThreshold (50x the default 40,000) has C2 compile such a kernel whole
# once its calls are enough, instead of first on stack for the call in flight: those on-stack compiles of the GEMM's
# micro-kernels were 20-50 KB each (their vector accumulators come boxed from the interpreter's frame) and cost more
# than all the kernels' normal compiles (BENCHMARKS.md, "Session 15, eng-jit"). Keep in step with ./trainyard and
# training-worker/docker-entrypoint.sh (JitOptionsTest checks). The compiler directives keep C2 from compiling the Vector
# API's own methods apart from the kernels that inline them (engine/jit-directives.json; BENCHMARKS.md, "Session 21").
ENGINE_JIT_OPTIONS=(
  -XX:Tier4BackEdgeThreshold=2000000
  -XX:+UnlockDiagnosticVMOptions
  "-XX:CompilerDirectivesFile=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/engine/jit-directives.json"
  -XX:CompileCommand=quiet
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.Gemm*::*,0.05'
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.FloatVectorKernels::*,0.05'
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.AdamFloat32::*,0.05'
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.SgdFloat32::*,0.05'
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.RmspropFloat32::*,0.05'
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.AdagradFloat32::*,0.05'
)
# Strip-mined loops where the vectors are 256 bits (no AVX-512, or AVX2=1's -XX:UseAVX=2): C2 then keeps the 6-row
# register tiles' accumulators in AVX2's 16 registers, and the engine takes them (Gemm.MR). As ./trainyard.
if ! grep -qw avx512f /proc/cpuinfo 2>/dev/null || [[ "${JAVA_TOOL_OPTIONS:-}" == *UseAVX=2* ]]; then
  ENGINE_JIT_OPTIONS+=(-XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000)
fi
