#!/usr/bin/env bash
# Idempotent install of the spotmigrate test cluster (MiniDFSCluster + Spark
# Thrift server). Safe to run repeatedly; a no-op (about a second) when done.
#
# Everything goes under $SPOTMIGRATE_CACHE (default ~/.cache/spotmigrate):
#   venv/            Python venv with pyspark (ships Spark + Hive thrift-server jars)
#   minidfs-build/   compiled MiniDfs main + classpath.txt (jars stay in ~/.m2)
set -euo pipefail

PYSPARK_VERSION=3.5.9
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${SPOTMIGRATE_CACHE:-$HOME/.cache/spotmigrate}"
VENV="$CACHE/venv"
BUILD="$CACHE/minidfs-build"

log() { echo "install.sh: $*" >&2; }
die() { echo "install.sh: ERROR: $*" >&2; exit 1; }

for tool in java mvn python3; do
  command -v "$tool" >/dev/null || die "$tool not found on PATH (need JDK 17, Maven, Python 3)"
done
mkdir -p "$CACHE"

# --- pyspark (Spark + thrift server) -----------------------------------------
have_pyspark() {
  [ -x "$VENV/bin/python" ] &&
    [ "$("$VENV/bin/python" -c 'import pyspark; print(pyspark.__version__)' 2>/dev/null)" = "$PYSPARK_VERSION" ] &&
    [ -x "$VENV/lib/python"*/site-packages/pyspark/bin/spark-submit ] &&
    ls "$VENV"/lib/python*/site-packages/pyspark/jars/spark-hive-thriftserver_*.jar >/dev/null 2>&1
}
if have_pyspark; then
  log "pyspark $PYSPARK_VERSION already in $VENV"
else
  log "installing pyspark==$PYSPARK_VERSION into $VENV (about 320 MB)"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "pyspark==$PYSPARK_VERSION"
  have_pyspark || die "pyspark install in $VENV is incomplete"
fi

# --- MiniDfs main (hadoop-client-minicluster) ----------------------------------
have_minidfs() {
  local cls="$BUILD/classes/spotmigrate/MiniDfs.class" cp="$BUILD/classpath.txt" jar
  [ -f "$cls" ] && [ -f "$cp" ] || return 1
  [ "$cls" -nt "$HERE/minidfs/pom.xml" ] && [ "$cls" -nt "$HERE/minidfs/src/main/java/spotmigrate/MiniDfs.java" ] || return 1
  local IFS=:
  for jar in $(cat "$cp"); do [ -f "$jar" ] || return 1; done
}
if have_minidfs; then
  log "MiniDfs already built in $BUILD"
else
  log "building MiniDfs (hadoop-client-minicluster) into $BUILD"
  mvn_build() { mvn -B -q -Dstyle.color=never -f "$HERE/minidfs/pom.xml" -Dminidfs.build.dir="$BUILD" "$@" package; }
  # Offline first (everything cached in ~/.m2), then online.
  if ! mvn_build -o >"$CACHE/mvn-offline.log" 2>&1; then
    mvn_build || die "maven build of cluster/minidfs failed"
  fi
  have_minidfs || die "MiniDfs build output missing in $BUILD"
fi
log "ok"
