#!/usr/bin/env bash
# The real binary under valgrind memcheck against the test server's
# misbehaving paths, plain and TLS: no invalid access, no leak, every entry
# answered.  TAP output; each run is bounded by timeout(1) and the server
# by its lifetime.  Loopback only.
set -u
BIN=${HTTPSTAT_BIN:?}
SERVER=${TESTSERVER_BIN:?}
dir=$(mktemp -d)
trap 'kill "$spid" 2>/dev/null; rm -rf "$dir"' EXIT
"$SERVER" "$dir" 300 > "$dir/ports" &
spid=$!
for _ in $(seq 50); do [ -s "$dir/ports" ] && break; sleep 0.1; done
# shellcheck disable=SC1090
. <(tr ' ' '\n' < "$dir/ports" | sed 's/^/export /')

paths="ok status/404 delay/100/x silent close garbage interim noreason http10
huge drip endless reset halfline partialhead redirect/3"
{
	for p in $paths; do
		echo "http://127.0.0.1:$PLAIN/$p"
		echo "https://127.0.0.1:$TLS/$p"
	done
	echo "https://127.0.0.1:$EXPIRED/ok"
	echo "https://127.0.0.1:$WRONGNAME/ok"
	echo "https://127.0.0.1:$SELFSIGNED/ok"
	echo "https://127.0.0.1:$STALLTLS/ok"
	echo "http://127.0.0.1:1/refused"
	echo "ftp://invalid/"
	echo "http://u:p@127.0.0.1:$PLAIN/ok 200-299"
	echo "http://nx.invalid/"
} > "$dir/list"
n=$(wc -l < "$dir/list")

vg=(valgrind -q --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect)
t=0 fails=0
check() {	# name, expected lines, command...
	local name=$1 want=$2 rc got
	shift 2
	t=$((t + 1))
	timeout 120 "$@" > "$dir/out" 2> "$dir/err"
	rc=$?
	got=$(wc -l < "$dir/out")
	if [ "$rc" -ne 99 ] && [ "$rc" -ne 124 ] && [ "$got" -eq "$want" ]; then
		echo "ok $t - $name"
	else
		echo "not ok $t - $name (exit $rc, $got of $want results)"
		sed 's/^/# /' "$dir/err" | head -40
		fails=$((fails + 1))
	fi
}
check "hostile paths, plain and TLS" "$n" \
    "${vg[@]}" "$BIN" -t 3 -L --cacert "$dir/ca.pem" --json "$dir/list"
check "deadline in the middle" "$n" \
    "${vg[@]}" "$BIN" -t 5 -d 1 -c 4 --cacert "$dir/ca.pem" --json "$dir/list"
check "retries and completion order" "$n" \
    "${vg[@]}" "$BIN" -t 2 --retries 1 --order completion \
    --cacert "$dir/ca.pem" --json "$dir/list"
echo "1..$t"
exit $((fails > 0))
