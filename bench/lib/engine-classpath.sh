# Sourced by bench scripts: builds the engine jar when it, or the dependencies' class path that the engine's build
# writes beside it (target/classpath.txt), is missing or a source is newer, and sets ENGINE_CLASSPATH. A run after a
# build starts no Maven: the checks are one `find` (~0.03 s). With ENGINE_JAR_AS_BUILT=1 (set by the scripts that time
# several runs, once they have built) a newer source does not rebuild: an edit made while they run would otherwise
# put a Maven build inside the next run's timing and that run on another jar.
engine_jar=engine/target/trainyard-engine-0.1.0-SNAPSHOT.jar
if [ ! -f "$engine_jar" ] || [ ! -f engine/target/classpath.txt ] || { [ "${ENGINE_JAR_AS_BUILT:-}" != 1 ] \
    && [ -n "$(find engine/src/main engine/pom.xml -newer "$engine_jar" -print -quit)" ]; }; then
  echo "building the engine..." >&2
  ./mvnw -q -B -ntp -f engine/pom.xml package -DskipTests >&2
  touch "$engine_jar" # Maven leaves an unchanged jar's time alone, which would look stale forever
fi
ENGINE_CLASSPATH="$engine_jar:$(cat engine/target/classpath.txt)"
export ENGINE_CLASSPATH
