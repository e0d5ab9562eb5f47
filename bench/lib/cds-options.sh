# Sourced by bench scripts: cds_options ARCHIVE CLASSPATH prints the JVM options of a dynamic CDS archive at ARCHIVE:
# the first run without one writes it at exit (the classes it loaded: the engine's, the Vector API's, and the
# lambda and method-handle classes spun for them), and later runs map those classes instead of loading, verifying and
# spinning them again (BENCHMARKS.md, session 8). JDK 25's AOT cache (-XX:AOTCache) would do more but, with an
# incubator module (--add-modules jdk.incubator.vector), archives neither linked classes, lambdas nor profiles.
# The JVM does not rebuild an archive whose class path changed (it warns and runs without it, every time), so it is
# deleted here when a jar on CLASSPATH is newer. -Xlog:cds=off: with --add-modules every run would print that the
# JDK's own archive was dumped without it. Keep in step with ./trainyard's cds_options.
cds_options() {
  local archive=$1 entry
  local entries
  IFS=: read -ra entries <<< "$2"
  for entry in "${entries[@]}"; do
    if [ -f "$archive" ] && [ "$entry" -nt "$archive" ]; then
      rm -f "$archive"
    fi
  done
  mkdir -p "$(dirname "$archive")"
  echo "-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$archive -Xlog:cds=off"
}
