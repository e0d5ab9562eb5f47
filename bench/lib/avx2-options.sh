# Sourced by bench scripts: with AVX2=1, every engine runs as on a CPU without AVX-512 (an AMD Zen 2/3, an Intel Core;
# the JVM also keeps Intel's first Skylake Xeons, stepping below 5, at AVX2 by default): the JVM with -XX:UseAVX=2 (256-bit
# vectors, 16 registers), PyTorch's and libtorch's kernels at AVX2 (ATen, oneDNN, MKL) and OpenBLAS's Haswell kernels.
# x86 only. AVX2_NOTE says so for the output's header.
AVX2_NOTE=""
if [ "${AVX2:-0}" = 1 ]; then
  export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:+$JAVA_TOOL_OPTIONS }-XX:UseAVX=2"
  export ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 DNNL_MAX_CPU_ISA=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2 \
    OPENBLAS_CORETYPE=Haswell
  AVX2_NOTE="AVX2=1: every engine limited to AVX2 (JVM -XX:UseAVX=2; ATEN_CPU_CAPABILITY, ONEDNN_MAX_CPU_ISA, MKL_ENABLE_INSTRUCTIONS, OPENBLAS_CORETYPE=Haswell)"
fi
export AVX2_NOTE
