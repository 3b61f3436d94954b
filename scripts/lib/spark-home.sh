# Sourced by scripts that run Spark: `. scripts/lib/spark-home.sh; spark_home_setup`.
# Spark's launcher (executors of local-cluster, standalone Master and Workers) needs a SPARK_HOME
# with a jars/ directory; no Spark distribution is needed: links to the jars Maven resolves for
# spark-core (scripts/lib/spark-home/pom.xml, version from the top-level pom.xml) suffice.
#
# spark_home_setup   exports SPARK_HOME (kept when it already names a directory with jars/, else
#                    target/spark-home, built on first use or when the POMs changed),
#                    SPARK_SCALA_VERSION=2.13 and SPARK_LOCAL_IP (default 127.0.0.1: this machine's
#                    name resolves to its outside address); fails with a one-line reason.
# spark_home_setup VERSION SCALA
#                    the same for another Spark (e.g. 3.5.9 2.12), in target/spark-home-VERSION,
#                    whatever SPARK_HOME says.
# spark_newest_versions, spark_jdk25_version
#                    the Sparks the checks run besides the build's (below).
# spark_driver_jvm_opts
#                    an array: the --add-opens list Spark's launcher gives its own JVMs
#                    (org.apache.spark.launcher.JavaModuleOptions), for a driver started with a
#                    plain `java` command; executors get it from Spark itself.

# The newest Spark 3.5.x and 4.x on Maven Central, with their Scala: the spark-submit check runs
# both; scripts/test runs the Spark tests on JDK 25 on the 4.x one (the build's 4.1.1 cannot start
# executors there), so both share one download of its jars.
spark_jdk25_version=4.2.0
spark_newest_versions="3.5.9:2.12 $spark_jdk25_version:2.13"

spark_driver_jvm_opts=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true
  --enable-native-access=ALL-UNNAMED
)

spark_home_setup() {
  local root version=${1:-} scala=${2:-2.13} home versions=()
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  export SPARK_SCALA_VERSION=$scala
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  home="$root/target/spark-home"
  if [ -n "$version" ]; then
    home="$root/target/spark-home-$version"
    versions=(-Dspark.version="$version" -Dscala.binary.version="$scala")
  elif [ -n "${SPARK_HOME:-}" ]; then
    [ -d "$SPARK_HOME/jars" ] || { echo "SPARK_HOME=$SPARK_HOME has no jars/ directory" >&2; return 1; }
    return 0
  fi
  local stamp="$home/jars/.complete"
  if [ ! -f "$stamp" ] || [ "$root/pom.xml" -nt "$stamp" ] || [ "$root/scripts/lib/spark-home/pom.xml" -nt "$stamp" ]; then
    rm -rf "$home"
    mkdir -p "$home/jars"
    local log="$home/resolve.log"
    if ! mvn -B -q -ntp -f "$root/scripts/lib/spark-home/pom.xml" "${versions[@]}" \
        org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
        -Dmdep.outputFile="$home/classpath.txt" >"$log" 2>&1; then
      cat "$log" >&2
      echo "spark-home: could not resolve Spark's jars with Maven (log above)" >&2
      return 1
    fi
    local jar
    tr ':' '\n' <"$home/classpath.txt" | while IFS= read -r jar; do
      [ -n "$jar" ] && ln -sf "$jar" "$home/jars/$(basename "$jar")"
    done
    touch "$stamp"
  fi
  # One Spark per home, or its JVMs would load two versions' classes.
  local cores
  cores=$(cd "$home/jars" && ls spark-core_*.jar 2>/dev/null | sed -E 's/^spark-core_[0-9.]+-(.*)\.jar$/\1/' | sort -u | paste -sd' ' || true)
  case $cores in
    *' '*) echo "spark-home: $home holds spark-core of several versions ($cores); delete it" >&2; return 1 ;;
    '') echo "spark-home: $home/jars holds no spark-core" >&2; return 1 ;;
  esac
  export SPARK_HOME="$home"
}
