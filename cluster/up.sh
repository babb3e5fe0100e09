#!/usr/bin/env bash
# Start the spotmigrate test cluster in the background:
#   1. MiniDFSCluster (HDFS: 1 NameNode + 1 DataNode) on 127.0.0.1:$SPOTMIGRATE_HDFS_PORT
#   2. Spark Thrift server (HiveServer2 protocol, NOSASL) on 127.0.0.1:$SPOTMIGRATE_HS2_PORT,
#      Derby metastore in STATE_DIR, warehouse on the MiniDFSCluster.
# Usage: cluster/up.sh [STATE_DIR] [spark]   (default /tmp/spotmigrate-cluster)
#        With "spark", only the Spark Thrift server is (re)started, against the
#        MiniDFSCluster already running in STATE_DIR (tests restart the engine).
# Env:   SPOTMIGRATE_HDFS_PORT (9000), SPOTMIGRATE_HDFS_HTTP_PORT (9870),
#        SPOTMIGRATE_HS2_PORT (10000), SPOTMIGRATE_UP_TIMEOUT (180 s, both services),
#        SPOTMIGRATE_SPARK_DRIVER_MEMORY (1g), SPOTMIGRATE_CACHE (~/.cache/spotmigrate)
# Stop with cluster/down.sh [STATE_DIR].
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${1:-/tmp/spotmigrate-cluster}"
HDFS_PORT="${SPOTMIGRATE_HDFS_PORT:-9000}"
HDFS_HTTP_PORT="${SPOTMIGRATE_HDFS_HTTP_PORT:-9870}"
HS2_PORT="${SPOTMIGRATE_HS2_PORT:-10000}"
TIMEOUT="${SPOTMIGRATE_UP_TIMEOUT:-180}"
DRIVER_MEM="${SPOTMIGRATE_SPARK_DRIVER_MEMORY:-1g}"
CACHE="${SPOTMIGRATE_CACHE:-$HOME/.cache/spotmigrate}"
HOST=127.0.0.1
HDFS_URI="hdfs://$HOST:$HDFS_PORT"

log() { echo "up.sh: $*" >&2; }
die() { echo "up.sh: ERROR: $*" >&2; exit 1; }

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
fail_with_log() { # name logfile
  echo "up.sh: ERROR: $1 did not become ready; last lines of $2:" >&2
  tail -n 40 "$2" >&2 || true
  "$HERE/down.sh" "$STATE" >&2 || true
  exit 1
}

ONLY="${2:-all}"
if [ "$ONLY" = spark ]; then
  [ -f "$STATE/minidfs.pid" ] || die "no MiniDFSCluster in $STATE; run cluster/up.sh $STATE first"
  [ -f "$STATE/spark.pid" ] && die "$STATE already runs a Spark Thrift server"
  PORTS=("$HS2_PORT")
else
  if [ -f "$STATE/minidfs.pid" ] || [ -f "$STATE/spark.pid" ]; then
    die "$STATE already holds a cluster (pid files present); run cluster/down.sh $STATE first"
  fi
  PORTS=("$HDFS_PORT" "$HDFS_HTTP_PORT" "$HS2_PORT")
fi
for p in "${PORTS[@]}"; do
  port_in_use "$p" && die "port $HOST:$p is already in use (set SPOTMIGRATE_HDFS_PORT / SPOTMIGRATE_HDFS_HTTP_PORT / SPOTMIGRATE_HS2_PORT, or stop what holds it)"
done

"$HERE/install.sh"

JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
export JAVA_HOME
SPARK_HOME="$(echo "$CACHE"/venv/lib/python*/site-packages/pyspark)"
[ -x "$SPARK_HOME/bin/spark-submit" ] || die "spark-submit not found under $SPARK_HOME"
BUILD="$CACHE/minidfs-build"

mkdir -p "$STATE"
STATE="$(cd "$STATE" && pwd)"
T0_MS=$(( $(date +%s%N) / 1000000 ))
since() { local ms=$(( $(date +%s%N) / 1000000 - T0_MS )); printf "%d.%01d" $((ms / 1000)) $((ms % 1000 / 100)); }
DEADLINE=$(( $(date +%s) + TIMEOUT ))

# Java 17 module opens needed by Hadoop (same set Spark's launcher adds).
JAVA17_OPENS=(
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
)

# --- 1. MiniDFSCluster ---------------------------------------------------------
if [ "$ONLY" != spark ]; then
log "starting MiniDFSCluster on $HDFS_URI (log $STATE/minidfs.log)"
setsid "$JAVA_HOME/bin/java" -Xmx512m "${JAVA17_OPENS[@]}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dspotmigrate.cluster="$STATE" \
  -cp "$BUILD/classes:$(cat "$BUILD/classpath.txt")" spotmigrate.MiniDfs \
  --nn-port "$HDFS_PORT" --http-port "$HDFS_HTTP_PORT" --dir "$STATE/minidfs" \
  </dev/null >"$STATE/minidfs.log" 2>&1 &
echo $! >"$STATE/minidfs.pid"
MD_PID=$!
until grep -q "^MINIDFS READY" "$STATE/minidfs.log" 2>/dev/null; do
  alive "$MD_PID" || fail_with_log "MiniDFSCluster (exited)" "$STATE/minidfs.log"
  [ "$(date +%s)" -lt "$DEADLINE" ] || fail_with_log "MiniDFSCluster (timeout ${TIMEOUT}s)" "$STATE/minidfs.log"
  sleep 0.5
done
log "MiniDFSCluster ready after $(since)s"
fi

# --- 2. Spark Thrift server -----------------------------------------------------
mkdir -p "$STATE/spark" "$STATE/spark/tmp"
cat >"$STATE/spark/log4j2.properties" <<LOG4J
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex
logger.thrift.name = org.apache.spark.sql.hive.thriftserver
logger.thrift.level = info
logger.hs2.name = org.apache.hive.service
logger.hs2.level = info
LOG4J

log "starting Spark Thrift server on $HOST:$HS2_PORT (log $STATE/spark.log)"
(
  cd "$STATE/spark"
  export SPARK_HOME SPARK_LOCAL_IP=$HOST SPARK_LOCAL_DIRS="$STATE/spark/tmp" HADOOP_USER_NAME="${HADOOP_USER_NAME:-root}"
  unset PYSPARK_PYTHON SPARK_CONF_DIR HADOOP_CONF_DIR
  exec setsid "$SPARK_HOME/bin/spark-submit" \
    --master 'local[2]' \
    --driver-memory "$DRIVER_MEM" \
    --name spotmigrate-hs2 \
    --class org.apache.spark.sql.hive.thriftserver.HiveThriftServer2 \
    --conf "spark.driver.extraJavaOptions=-Dlog4j.configurationFile=file:$STATE/spark/log4j2.properties -Dderby.system.home=$STATE/spark -Djava.io.tmpdir=$STATE/spark/tmp -Dspotmigrate.cluster=$STATE" \
    --conf spark.driver.host=$HOST \
    --conf spark.driver.bindAddress=$HOST \
    --conf spark.ui.enabled=false \
    --conf spark.sql.shuffle.partitions=2 \
    --conf spark.sql.catalogImplementation=hive \
    --conf "spark.sql.warehouse.dir=$HDFS_URI/user/hive/warehouse" \
    --conf "spark.hadoop.fs.defaultFS=$HDFS_URI" \
    --conf spark.hadoop.dfs.client.use.datanode.hostname=false \
    --conf "spark.hadoop.javax.jdo.option.ConnectionURL=jdbc:derby:;databaseName=$STATE/spark/metastore_db;create=true" \
    --conf spark.hadoop.datanucleus.schema.autoCreateAll=true \
    --conf spark.hadoop.hive.metastore.schema.verification=false \
    --conf spark.hadoop.hive.exec.dynamic.partition=true \
    --conf spark.hadoop.hive.exec.dynamic.partition.mode=nonstrict \
    --conf spark.sql.sources.partitionOverwriteMode=dynamic \
    --hiveconf hive.server2.thrift.bind.host=$HOST \
    --hiveconf hive.server2.thrift.port="$HS2_PORT" \
    --hiveconf hive.server2.transport.mode=binary \
    --hiveconf hive.server2.authentication=NOSASL \
    --hiveconf hive.server2.enable.doAs=false \
    </dev/null >"$STATE/spark.log" 2>&1
) &
echo $! >"$STATE/spark.pid"
SP_PID=$!
until grep -q "HiveThriftServer2 started" "$STATE/spark.log" 2>/dev/null && port_in_use "$HS2_PORT"; do
  alive "$SP_PID" || fail_with_log "Spark Thrift server (exited)" "$STATE/spark.log"
  [ "$(date +%s)" -lt "$DEADLINE" ] || fail_with_log "Spark Thrift server (timeout ${TIMEOUT}s)" "$STATE/spark.log"
  sleep 0.5
done
ELAPSED=$(since)
log "Spark Thrift server ready; both up after ${ELAPSED}s"

cat >"$STATE/env" <<ENV
HDFS=$HOST:$HDFS_PORT
HDFS_HTTP=$HOST:$HDFS_HTTP_PORT
HS2=$HOST:$HS2_PORT
HDFS_URI=$HDFS_URI
HS2_DSN=impala://$HOST:$HS2_PORT
WAREHOUSE=$HDFS_URI/user/hive/warehouse
ENV
cat "$STATE/env"
echo "FLAGS=--hdfs $HOST:$HDFS_PORT --impala $HOST:$HS2_PORT --dialect hive"
