# Sourced by bench scripts: THP_OPTIONS, -XX:+UseTransparentHugePages (the heap in 2 MB pages) where the kernel does
# not compact memory in the faulting thread to make those pages, i.e. unless the host's THP defrag mode is `madvise`
# or `always`. Under those two, once the page cache fills memory, each of a growing heap's first touches stalls in
# compaction (an mlp's epoch 1 3.6-4.0 s instead of 1.3, with 3-8 s of system time; BENCHMARKS.md, session 7), far
# worse than 4 KB pages. Keep in step with ./trainyard's thp_options.
THP_OPTIONS=()
case "$(cat /sys/kernel/mm/transparent_hugepage/defrag 2>/dev/null || true)" in
  *"[defer]"*|*"[defer+madvise]"*|*"[never]"*) THP_OPTIONS=(-XX:+UseTransparentHugePages) ;;
esac
