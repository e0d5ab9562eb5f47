# Sourced by bench scripts: builds the engine jar when sources are newer than it, and sets ENGINE_CLASSPATH.
engine_jar=engine/target/trainyard-engine-0.1.0-SNAPSHOT.jar
if [ ! -f "$engine_jar" ] || [ -n "$(find engine/src/main engine/pom.xml -newer "$engine_jar" -print -quit)" ]; then
  echo "building the engine..." >&2
  ./mvnw -q -B -f engine/pom.xml package -DskipTests >&2
fi
if [ ! -f engine/target/classpath.txt ] || [ engine/pom.xml -nt engine/target/classpath.txt ]; then
  ./mvnw -q -B -f engine/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
fi
ENGINE_CLASSPATH="$engine_jar:$(cat engine/target/classpath.txt)"
export ENGINE_CLASSPATH
