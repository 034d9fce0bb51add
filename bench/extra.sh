#!/usr/bin/env bash
# What the shared harness does not measure (issue 4), against its nginx:
#  1. TLS session resumption: 2,000 URLs on the resumption port, against
#     wrk-close on the same port, interleaved rounds;
#  2. peak RSS: 10,000 URLs from a file and 1,000,000 from standard input;
#  3. -c 10000 on 20,000 URLs spread over 8 loopback addresses: nothing lost;
#  4. client-side TIME_WAIT sockets left by a 10,000-URL run;
#  5. one URL: wall time against curl (hyperfine).
# BIN is the binary under test; HARNESS the shared harness directory.
set -euo pipefail
BIN=${BIN:?BIN=path/to/httpstat-async}
HARNESS=${HARNESS:?HARNESS=path/to/shared/bench}
ROUNDS=${ROUNDS:-5}
export BENCH_DIR=${BENCH_DIR:-/tmp/httpstat-bench}
W=$(mktemp -d)
trap 'rm -rf "$W"; [ "${started:-0}" = 1 ] && "$HARNESS/server.sh" stop >/dev/null 2>&1' EXIT
hard=$(ulimit -Hn); [ "$hard" = unlimited ] && hard=1048576
ulimit -n "$hard"

started=0
if ! "$HARNESS/server.sh" status | grep -q '^running'; then
    SPREAD=8 "$HARNESS/server.sh" start >/dev/null 2>&1
    started=1
fi
eval "$("$HARNESS/server.sh" env)"
gen() { python3 "$HARNESS/genurls.py" "$@"; }
rss() { /usr/bin/time -f %M -o "$W/rss" "$@" >/dev/null 2>&1 || true; echo $(( $(cat "$W/rss") / 1024 )); }
secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
med() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
tw() { ss -Htan state time-wait "( dport = :$HTTP_PORT )" | wc -l; }

echo "## extra measurements ($(date -u +%FT%TZ), $(nproc) CPUs)"

# 1. Resumption: the candidate against wrk-close, both on the resume port.
gen 2000 --scheme https -o "$W/s.txt"
sed -i "s/:$HTTPS_PORT\\//:$HTTPS_RESUME_PORT\\//" "$W/s.txt"
for i in $(seq "$ROUNDS"); do
    t=$(secs "$BIN" -c 100 --cacert "$CA" --progress never "$W/s.txt")
    echo "$t" >> "$W/res.t"
    timeout 30 wrk -t1 -c100 -d3s -H 'Connection: close' \
        "https://127.0.0.1:$HTTPS_RESUME_PORT/" 2>/dev/null |
        awk '/Requests\/sec/ {print $2}' >> "$W/wrk.r"
done
ours=$(echo "2000 / $(med < "$W/res.t")" | bc -l)
theirs=$(med < "$W/wrk.r")
printf '1. https resumption, 2000 URLs, C=100: %.0f URLs/s vs wrk-close %.0f req/s: %.2fx\n' \
    "$ours" "$theirs" "$(echo "$ours / $theirs" | bc -l)"
"$BIN" -c 100 --cacert "$CA" --json "$W/s.txt" | grep -c '"status":200' |
    sed 's/^/   ok results: /'

# 2. Peak RSS: flat from 10,000 to 1,000,000 URLs (stdin, streamed).
gen 10000 -o "$W/u10k.txt"
r10=$(rss "$BIN" -c 100 --cacert "$CA" "$W/u10k.txt")
for i in $(seq 100); do cat "$W/u10k.txt"; done > "$W/u1m.txt"
r1m=$(rss sh -c "\"$BIN\" -c 100 --cacert \"$CA\" - < \"$W/u1m.txt\"")
echo "2. peak RSS, C=100: 10,000 URLs ${r10} MiB; 1,000,000 on stdin ${r1m} MiB"

# 3. -c 10000: every result present.
gen 20000 --spread 8 -o "$W/u20k.txt"
n=$("$BIN" -c 10000 --json "$W/u20k.txt" 2>"$W/c10k.err" | grep -c '"status":200' || true)
echo "3. -c 10000, 20,000 URLs over 8 addresses: $n with status 200 $(head -c 200 "$W/c10k.err")"

# 4. TIME_WAIT left on the client side by 10,000 checks.
sleep 1; before=$(tw)
"$BIN" -c 100 "$W/u10k.txt" >/dev/null 2>&1
after=$(tw)
echo "4. client TIME_WAIT to port $HTTP_PORT: before $before, after a 10,000-URL run $after"

# 5. One URL: wall time, ours against curl.
if command -v hyperfine >/dev/null; then
    hyperfine -N -w 3 -r 30 --export-markdown "$W/one.md" \
        "$BIN http://127.0.0.1:$HTTP_PORT/one" \
        "curl -s -o /dev/null http://127.0.0.1:$HTTP_PORT/one" >/dev/null 2>&1
    echo "5. one URL (hyperfine, 30 runs):"; cat "$W/one.md"
fi
