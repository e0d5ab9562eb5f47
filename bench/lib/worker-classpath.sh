# Sourced by bench scripts: compiles engine, spec and training-worker with the worker's test classes (where the
# worker benchmarks live) when a source is newer than the last build, and sets WORKER_CLASSPATH.
stamp=training-worker/target/bench-classpath.txt
if [ ! -f "$stamp" ] || [ -n "$(find pom.xml engine/pom.xml engine/src/main spec/pom.xml spec/src/main training-worker/pom.xml \
    training-worker/src -newer "$stamp" -print -quit)" ]; then
  echo "building engine, spec and training-worker..." >&2
  ./mvnw -q -B -ntp -pl training-worker -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >&2
  touch "$stamp"
fi
WORKER_CLASSPATH="training-worker/target/test-classes:training-worker/target/classes:spec/target/classes:engine/target/classes:$(cat "$stamp")"
export WORKER_CLASSPATH
