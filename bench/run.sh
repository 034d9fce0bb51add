#!/usr/bin/env bash
# httpstat-async benchmark: builds a release binary, then runs the shared
# loopback harness (nginx + reference checkers, interleaved rounds) with it
# as the candidate, then the extra measurements of extra.sh.
#
#   bench/run.sh                       # defaults below
#   ROUNDS=5 SCENARIOS='https:2000:100' bench/run.sh
#
# Needs (Debian 12): nginx libnginx-mod-http-echo wrk curl time iproute2
# python3-aiohttp, and the build dependencies of the project.  Everything
# runs on loopback; every run is bounded by the harness's timeouts.
# The table goes to stdout; raw runs under $BENCH_DIR/results/.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
HARNESS=${HARNESS:-$TOP/../shared/bench}
BUILD=${BUILD:-/tmp/httpstat-bench-build}
export BENCH_DIR=${BENCH_DIR:-/tmp/httpstat-bench}
export ROUNDS=${ROUNDS:-5}
export SCENARIOS=${SCENARIOS:-"http:10000:100 https:2000:100"}
export CHECKERS=${CHECKERS:-curl-close,aiohttp-close,seed-c,wrk-close}

[ -x "$HARNESS/run.sh" ] || { echo "bench: no harness at $HARNESS" >&2; exit 2; }
meson setup "$BUILD" "$TOP" -Dbuildtype=release -Dtests=disabled \
    --reconfigure >/dev/null 2>&1 || meson setup "$BUILD" "$TOP" \
    -Dbuildtype=release -Dtests=disabled >/dev/null
ninja -C "$BUILD" httpstat-async >/dev/null
BIN=$BUILD/httpstat-async

export CANDIDATE="$BIN -c {c} --cacert {ca} --color never --progress never"
export CANDIDATE_NAME=httpstat-async
"$HARNESS/run.sh" || true
KEEP_SERVER=0 BIN=$BIN HARNESS=$HARNESS "$HERE/extra.sh"
