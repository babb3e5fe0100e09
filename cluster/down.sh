#!/usr/bin/env bash
# Stop the spotmigrate test cluster started by cluster/up.sh and remove its state.
# Usage: cluster/down.sh [STATE_DIR] [spark]   (default /tmp/spotmigrate-cluster)
#        With "spark", only the Spark Thrift server is stopped; HDFS and the state stay.
# Env:   SPOTMIGRATE_DOWN_WAIT (seconds to wait after SIGTERM before SIGKILL, default 30)
set -uo pipefail

STATE="${1:-/tmp/spotmigrate-cluster}"
WAIT="${SPOTMIGRATE_DOWN_WAIT:-30}"
log() { echo "down.sh: $*" >&2; }

[ -d "$STATE" ] || { log "no state dir $STATE; nothing to do"; exit 0; }
STATE="$(cd "$STATE" && pwd)"

# Only signal a pid if it is still one of ours: its command line carries the
# -Dspotmigrate.cluster=$STATE marker (guards against recycled pids).
ours() {
  [ -r "/proc/$1/cmdline" ] && tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qxF -- "-Dspotmigrate.cluster=$STATE" && return 0
  # spark-submit's shell wrappers (before they exec java) carry no marker: accept
  # a pid we recorded whose command line mentions spark-submit/spark-class.
  [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q "spark-\(submit\|class\)"
}

stop() { # name pidfile
  local name=$1 pidfile=$2 pid i
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && ours "$pid"; then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < WAIT * 4; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) still running after ${WAIT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null
      sleep 0.5
    fi
  fi
  rm -f "$pidfile"
}

# Spark first (it holds HDFS files open), then HDFS.
stop "Spark Thrift server" "$STATE/spark.pid"
if [ "${2:-all}" = spark ]; then
  log "stopped the Spark Thrift server of $STATE"
  exit 0
fi
stop "MiniDFSCluster" "$STATE/minidfs.pid"

# Any JVM still carrying this state dir's marker (e.g. a pid file was lost).
for p in /proc/[0-9]*; do
  p=${p#/proc/}
  if tr '\0' '\n' <"/proc/$p/cmdline" 2>/dev/null | grep -qxF -- "-Dspotmigrate.cluster=$STATE"; then
    log "killing leftover process $p of $STATE"
    kill -KILL "$p" 2>/dev/null
  fi
done

rm -rf "$STATE"
log "stopped; removed $STATE"
