# Sourced by bench scripts: ENGINE_JIT_OPTIONS, the JVM options that have the JIT compile the engine's Vector API
# kernels (the classes that import jdk.incubator.vector) after 1/20 of the usual calls and loop iterations. Until C2
# has compiled a kernel, its vectors are boxed objects (the interpreter and C1 do not intrinsify the Vector API), some
# ten times slower than plain loops; a kernel called a few times per step with a long loop otherwise runs boxed for
# the first hundreds of steps. Keep in step with ./trainyard and training-worker/Dockerfile (JitOptionsTest checks).
ENGINE_JIT_OPTIONS=(
  -XX:CompileCommand=quiet
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.Gemm*::*,0.05'
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.FloatVectorKernels::*,0.05'
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.AdamFloat32::*,0.05'
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.SgdFloat32::*,0.05'
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.RmspropFloat32::*,0.05'
  '-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.AdagradFloat32::*,0.05'
)
