# Sourced by bench scripts: ENGINE_JIT_OPTIONS, the JVM options that set when C2 compiles what. C2's thresholds are ten
# times the JVM's defaults (the Tier4 options), scaled back for the engine's CPU kernels: the CPU backend's classes
# (scaling 0.1) at the defaults, the Vector API kernels (the classes that import jdk.incubator.vector; 0.005) after 1/20
# of them. Until C2 has compiled a kernel, its vectors are boxed objects (the interpreter and C1 do not intrinsify the
# Vector API), some ten times slower than plain loops; a kernel called a few times per step with a long loop otherwise
# runs boxed for the first hundreds of steps. The engine's glue (autograd, modules, ops, tensors, the JDK's
# collections), called a few times per step, is cheap in C1's code, and compiling it cost C2 ~0.7 s of CPU in an mlp's
# second epoch: it now waits for ten times the calls (BENCHMARKS.md, "Session 22"). Tier4BackEdgeThreshold (500x the
# default, 50x for the backend) has C2 compile a kernel whole once its calls are enough, instead of first on stack for
# the call in flight: those on-stack compiles of the GEMM's micro-kernels were 20-50 KB each (their vector accumulators
# come boxed from the interpreter's frame) and cost more than all the kernels' normal compiles (BENCHMARKS.md, "Session
# 15, eng-jit"). Of several CompileCommands matching a method HotSpot takes the last, so the kernels' come after the
# backend's. Keep in step with ./trainyard and training-worker/docker-entrypoint.sh (JitOptionsTest checks). The
# compiler directives keep C2 from compiling the Vector API's own methods apart from the kernels that inline them
# (engine/jit-directives.json; BENCHMARKS.md, "Session 21").
ENGINE_JIT_OPTIONS=(
  -XX:Tier4InvocationThreshold=50000
  -XX:Tier4MinInvocationThreshold=6000
  -XX:Tier4CompileThreshold=150000
  -XX:Tier4BackEdgeThreshold=20000000
  -XX:+UnlockDiagnosticVMOptions
  "-XX:CompilerDirectivesFile=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/engine/jit-directives.json"
  -XX:CompileCommand=quiet
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.*::*,0.1'
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.Gemm*::*,0.005'
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.FloatVectorKernels::*,0.005'
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.AdamFloat32::*,0.005'
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.SgdFloat32::*,0.005'
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.RmspropFloat32::*,0.005'
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.AdagradFloat32::*,0.005'
)
# Strip-mined loops where the vectors are 256 bits (no AVX-512, or AVX2=1's -XX:UseAVX=2): C2 then keeps the 6-row
# register tiles' accumulators in AVX2's 16 registers, and the engine takes them (Gemm.MR). As ./trainyard.
if ! grep -qw avx512f /proc/cpuinfo 2>/dev/null || [[ "${JAVA_TOOL_OPTIONS:-}" == *UseAVX=2* ]]; then
  ENGINE_JIT_OPTIONS+=(-XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000)
fi
