#!/usr/bin/env bash
# What the gateway costs next to an nginx reverse proxy, measured side by side on loopback.
#
# Starts, each with its own configuration in a temporary folder and its own free ports:
#   - nginx as the upstream, answering a recorded chat completion and a recorded stream at once
#     (from ../shared/fixtures when present, else a hand-written answer of the same shape);
#   - nginx as a reverse proxy in front of it (keep-alive to the upstream);
#   - the gateway (server/target/mm-server.jar) with one custom_api provider per upstream path and
#     the model chosen by a route;
#   - a llama.cpp-like peer (testkit's LlamaServerLikePeer: Nagle on, head and body in separate
#     writes, as llama-server answers);
# then runs wrk at 1, 16 and 64 connections (after a warm-up), direct / nginx proxy / gateway
# interleaved, reads each process's CPU time from /proc and prints one table; then the streaming,
# llama.cpp-like and memory measurements. Stops only what it started.
#
#   benchmarks/bench-gateway.sh [--duration S] [--rounds N] [--warmup S] [--compare DIR]
#
#   --duration S   seconds per wrk run (default 5)
#   --rounds N     interleaved rounds per connection count; the table shows medians (default 3)
#   --warmup S     seconds of load on each gateway before measuring (default 20)
#   --compare DIR  also runs the gateway built in DIR (a copy of server/target's mm-server.jar and
#                  lib/), interleaved with this one: "before" and "after" in the same run; it gets
#                  only $MM_JAVA_OPTS, not ./mm's defaults (scripts/java-options.sh)
#   --skip-stream  only the non-streamed table
#   --profile DIR  instead of the tables: after the warm-up, profiles the gateway under 64
#                  connections with async-profiler (CPU, then allocations; 20 s each; the library
#                  from ASYNC_PROFILER_LIB, e.g. linux-x64/libasyncProfiler.so out of Maven
#                  Central's tools.profiler:async-profiler jar) and writes collapsed stacks to DIR
#   --profile-streams  with --profile: the load is streamed requests (33 chunks each) instead
#   --servers      also runs bare pass-through proxies (benchmarks' passthrough package: no routing,
#                  no JSON, no history) on other server stacks, as rows of the non-streamed table:
#                  javalin (the gateway's Javalin 7 and Jetty client), jetty (Jetty 12's core
#                  handlers, no servlet layer, and the same client), helidon-j (Helidon SE 4 and
#                  the gateway's Jetty client), helidon (Helidon SE 4 and its own client), netty
#                  (Netty, one upstream connection per client connection); they get ./mm's options
#
# Needs nginx and wrk (Debian: apt-get install nginx-light wrk) and a JDK >= 21. Builds the server
# and benchmarks jars (package, never install) when they are missing. Not part of CI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
duration=5
rounds=3
warmup=20
compare=""
skip_stream=""
profile=""
profile_kind=plain
servers=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --compare) compare=$(cd "$2" && pwd); shift 2 ;;
    --skip-stream) skip_stream=1; shift ;;
    --profile) profile=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
    --profile-streams) profile_kind=sse; shift ;;
    --servers) servers=1; shift ;;
    -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done

for tool in nginx wrk; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    echo "bench: $tool is missing (Debian: apt-get install -y nginx-light wrk)" >&2
    exit 2
  fi
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
JAVA_HOME=$("$root/scripts/find-jdk.sh")
java="$JAVA_HOME/bin/java"
server_dir="$root/server/target"
bench_jar="$root/benchmarks/target/benchmarks.jar"
if [ ! -f "$server_dir/mm-server.jar" ] || [ ! -f "$bench_jar" ]; then
  echo "bench: building the server and benchmarks jars (package)..." >&2
  (cd "$root" && JAVA_HOME=$JAVA_HOME ./mvnw -B -ntp -q -pl server,benchmarks -am package \
    -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true)
fi

work=$(mktemp -d /tmp/mm-bench.XXXXXX)
# nginx workers run as another user and read the payloads from here
chmod 755 "$work"
pids=()
nginx_confs=()
cleanup() {
  for conf in "${nginx_confs[@]}"; do
    "$nginx_bin" -p "$work" -c "$conf" -s stop >/dev/null 2>&1 || true
  done
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if [ -z "$(ss -Htln "sport = :$port" 2>/dev/null)" ] \
        && ! grep -qx "$port" "$work/ports" 2>/dev/null; then
      echo "$port" >>"$work/ports"
      echo "$port"
      return
    fi
  done
}

# --- payloads -------------------------------------------------------------------------------
shared="${MM_SHARED_DIR:-$root/../shared}"
completion_file="$shared/fixtures/openai/chat_completions_response.json"
stream_file="$shared/fixtures/openai/chat_completions_stream.sse"
if [ -f "$completion_file" ] && [ -f "$stream_file" ]; then
  cp "$completion_file" "$work/completion.json"
  cp "$stream_file" "$work/stream.sse"
  payloads="recorded (../shared/fixtures/openai)"
else
  payloads="hand-written (../shared absent)"
  cat >"$work/completion.json" <<'JSON'
{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench-model","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help you today?","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":9,"total_tokens":28},"system_fingerprint":"fp_bench"}
JSON
  {
    printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench-model","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n'
    for word in Hello '!' ' How' ' can' ' I' ' help' ' you' ' today' '?'; do
      printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench-model","choices":[{"index":0,"delta":{"content":"%s"},"finish_reason":null}]}\n\n' "$word"
    done
    printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench-model","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n'
    printf 'data: [DONE]\n\n'
  } >"$work/stream.sse"
fi
# events that carry a chunk (not the closing [DONE])
stream_chunks=$(grep -c '^data: {' "$work/stream.sse")

up_port=$(free_port)
proxy_port=$(free_port)
gw_port=$(free_port)
gw2_port=$(free_port)
llama_port=$(free_port)
mkdir -p "$work/logs" "$work/data"

cat >"$work/upstream.conf" <<CONF
worker_processes auto;
pid $work/upstream.pid;
error_log $work/logs/upstream-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  types { application/json json; text/event-stream sse; }
  server {
    listen 127.0.0.1:$up_port reuseport backlog=4096;
    # nginx serves files to GET only: a POST is answered by redirecting its 405 to the file, which
    # nginx fetches with GET
    location = /plain/v1/chat/completions { error_page 405 =200 /files/completion.json; return 405; }
    location = /sse/v1/chat/completions { error_page 405 =200 /files/stream.sse; return 405; }
    location = /slow/v1/chat/completions { error_page 405 =200 /slow-files/stream.sse; return 405; }
    location /files/ { internal; alias $work/; }
    location /slow-files/ { internal; alias $work/; limit_rate 1k; }
  }
}
CONF
cat >"$work/proxy.conf" <<CONF
worker_processes auto;
pid $work/proxy.pid;
error_log $work/logs/proxy-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  upstream up { server 127.0.0.1:$up_port; keepalive 256; }
  server {
    listen 127.0.0.1:$proxy_port reuseport backlog=4096;
    location / {
      proxy_pass http://up;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
CONF
for conf in upstream proxy; do
  "$nginx_bin" -p "$work" -c "$work/$conf.conf" -e "$work/logs/$conf-error.log"
  nginx_confs+=("$work/$conf.conf")
done

gateway_config() {
  cat <<YAML
server: {host: 127.0.0.1, port: $1}
data_dir: $work/data
providers:
  - {name: plain, type: custom_api, base_url: "http://127.0.0.1:$up_port/plain/v1", discover_models: false, models: [{id: m}]}
  - {name: sse, type: custom_api, base_url: "http://127.0.0.1:$up_port/sse/v1", discover_models: false, models: [{id: m}]}
  - {name: slow, type: custom_api, base_url: "http://127.0.0.1:$up_port/slow/v1", discover_models: false, models: [{id: m}], timeouts: {response: none}}
  - {name: llama, type: custom_api, base_url: "http://127.0.0.1:$llama_port/v1", discover_models: false, models: [{id: tiny-random}]}
routes:
  bench: {models: [plain/m]}
  bench-stream: {models: [sse/m]}
  bench-slow: {models: [slow/m]}
  bench-llama: {models: [llama/tiny-random]}
YAML
}

start_gateway() { # dir port name java-options
  gateway_config "$2" >"$work/$3.yaml"
  # shellcheck disable=SC2086
  MM_DATA_DIR="$work/data" "$java" $4 -cp "$1/mm-server.jar:$1/lib/*" \
    dev.tta.models.server.cli.MmCommand serve --config "$work/$3.yaml" \
    >"$work/logs/$3.log" 2>&1 &
  pids+=($!)
  echo $! >"$work/$3.pid"
}

"$java" -cp "$bench_jar" dev.tta.models.benchmarks.Probe llama-peer "$llama_port" \
  >"$work/logs/llama-peer.log" 2>&1 &
pids+=($!)
# the options ./mm starts the gateway with (its defaults and $MM_JAVA_OPTS)
start_gateway "$server_dir" "$gw_port" gateway "$("$root/scripts/java-options.sh")"
targets=(direct proxy gateway)
if [ -n "$compare" ]; then
  # as ./mm started it before it had defaults of its own
  start_gateway "$compare" "$gw2_port" before "${MM_JAVA_OPTS:-}"
  targets=(direct proxy before gateway)
fi
passthroughs=()
if [ -n "$servers" ]; then
  passthroughs=(javalin jetty helidon-j helidon netty)
  package=dev.tta.models.benchmarks.passthrough
  for name in "${passthroughs[@]}"; do
    port=$(free_port)
    echo "$port" >"$work/$name.port"
    case "$name" in
      javalin) main=(JavalinPassThrough) ;;
      jetty) main=(JettyPassThrough) ;;
      helidon-j) main=(HelidonPassThrough jetty) ;;
      helidon) main=(HelidonPassThrough helidon) ;;
      netty) main=(NettyPassThrough) ;;
    esac
    # shellcheck disable=SC2046
    "$java" $("$root/scripts/java-options.sh") -cp "$bench_jar" "$package.${main[0]}" "$port" \
      "http://127.0.0.1:$up_port/plain/v1/chat/completions" "${main[@]:1}" \
      >"$work/logs/$name.log" 2>&1 &
    pids+=($!)
    echo $! >"$work/$name.pid"
  done
  targets+=("${passthroughs[@]}")
fi

wait_for() { # url what
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "bench: $2 did not come up; see $work/logs" >&2
  cat "$work"/logs/*.log >&2 || true
  exit 1
}
wait_for "http://127.0.0.1:$gw_port/health/live" gateway
[ -n "$compare" ] && wait_for "http://127.0.0.1:$gw2_port/health/live" "gateway ($compare)"
for _ in $(seq 1 100); do grep -q ready "$work/logs/llama-peer.log" && break; sleep 0.1; done
for name in "${passthroughs[@]}"; do
  for _ in $(seq 1 300); do grep -q '^ready' "$work/logs/$name.log" && break; sleep 0.1; done
  if ! grep -q '^ready' "$work/logs/$name.log"; then
    echo "bench: $name did not come up" >&2
    cat "$work/logs/$name.log" >&2
    exit 1
  fi
done

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
gw_pid=$(cat "$work/gateway.pid")
rss_idle_start=$(rss_kb "$gw_pid")

url_of() { # target path-kind (plain|sse|slow|llama)
  case "$1" in
    direct) echo "http://127.0.0.1:$up_port/$2/v1/chat/completions" ;;
    proxy) echo "http://127.0.0.1:$proxy_port/$2/v1/chat/completions" ;;
    gateway) echo "http://127.0.0.1:$gw_port/v1/chat/completions" ;;
    before) echo "http://127.0.0.1:$gw2_port/v1/chat/completions" ;;
    *) echo "http://127.0.0.1:$(cat "$work/$1.port")/v1/chat/completions" ;;
  esac
}
route_of() { case "$1" in plain) echo bench ;; sse) echo bench-stream ;; slow) echo bench-slow ;; llama) echo bench-llama ;; esac; }
# the processes whose CPU a target costs: the proxy itself (nginx master and workers, or the JVM)
pids_of() {
  case "$1" in
    direct) cat "$work/upstream.pid"; pgrep -P "$(cat "$work/upstream.pid")" ;;
    proxy) cat "$work/proxy.pid"; pgrep -P "$(cat "$work/proxy.pid")" ;;
    gateway) cat "$work/gateway.pid" ;;
    *) cat "$work/$1.pid" ;;
  esac
}
cpu_ticks() { # pids... -> utime+stime summed
  local total=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    total=$((total + $(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$p/stat")))
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)

lua() { # route stream?
  local file="$work/$1.lua"
  cat >"$file" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"$1","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one word."}],"max_tokens":16$2}'
LUA
  # BENCH_DEBUG=1 prints every answer that is not a 200 (it slows wrk down, so it is off by default)
  if [ -n "${BENCH_DEBUG:-}" ]; then
    cat >>"$file" <<'LUA'
response = function(status, headers, body)
  if status ~= 200 then io.stderr:write("bench: HTTP " .. status .. ": " .. body .. "\n") end
end
LUA
  fi
  echo "$file"
}
plain_lua=$(lua bench "")
stream_lua=$(lua bench-stream ',"stream":true')
slow_lua=$(lua bench-slow ',"stream":true')

to_ms() { # wrk latency value such as 812.00us, 1.23ms, 2.00s
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 }
    else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 }
    else print v }'
}

# run_wrk target kind connections seconds lua -> "rps p50 p90 p99 requests cpu_ms_per_request"
run_wrk() {
  local target=$1 kind=$2 conns=$3 secs=$4 script=$5 threads=2 out before after requests errors
  [ "$conns" -lt 2 ] && threads=1
  mapfile -t procs < <(pids_of "$target")
  before=$(cpu_ticks "${procs[@]}")
  out=$(wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 30s --latency -s "$script" \
    "$(url_of "$target" "$kind")")
  after=$(cpu_ticks "${procs[@]}")
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  if [ -n "$errors" ]; then
    # a rare error is reported with the table (BENCH_DEBUG=1 shows it); many mean a broken setup
    echo "$target $conns $errors $requests" >>"$work/errors"
    echo "bench: $target answered $errors errors in $requests requests" >&2
    if [ $((errors * 1000)) -gt "$requests" ]; then
      echo "$out" >&2
      tail -n 40 "$work/logs/$target.log" >&2 2>/dev/null || true
      exit 1
    fi
  fi
  echo "$out" | awk -v req="$requests" -v ticks=$((after - before)) -v hz="$hz" '
    /Requests\/sec/ {rps = $2}
    /^ +50%/ {p50 = $2} /^ +90%/ {p90 = $2} /^ +99%/ {p99 = $2}
    END {printf "%s %s %s %s %s %.4f\n", rps, p50, p90, p99, req, (req > 0 ? ticks * 1000 / hz / req : 0)}'
}

median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

echo "bench: warming up (${warmup}s per gateway)..." >&2
for t in "${targets[@]}"; do
  secs=2
  case "$t" in direct|proxy) ;; *) secs=$warmup ;; esac
  run_wrk "$t" plain 16 "$secs" "$plain_lua" >/dev/null
done

if [ -n "$profile" ]; then
  lib=${ASYNC_PROFILER_LIB:?set ASYNC_PROFILER_LIB to libasyncProfiler.so}
  if [ "$profile_kind" = sse ]; then
    # the stream path warmed up as well, so that the profile is not of the JIT compiling it
    run_wrk gateway sse 16 "$warmup" "$stream_lua" >/dev/null
  fi
  for event in cpu alloc; do
    options="start,event=itimer,interval=1ms"
    [ "$event" = alloc ] && options="start,event=alloc,alloc=64k"
    # quoted: jcmd would otherwise read the key=value pairs as its own options
    "$JAVA_HOME/bin/jcmd" "$gw_pid" JVMTI.agent_load "$lib" \
      "\"$options,timeout=20,collapsed,file=$profile/$event.collapsed\"" >/dev/null
    if [ "$profile_kind" = sse ]; then
      run_wrk gateway sse 64 22 "$stream_lua" >"$profile/$event.wrk"
    else
      run_wrk gateway plain 64 22 "$plain_lua" >"$profile/$event.wrk"
    fi
  done
  echo "bench: collapsed stacks in $profile (cpu.collapsed, alloc.collapsed)" >&2
  exit 0
fi

results="$work/results"
: >"$results"
for conns in 1 16 64; do
  for round in $(seq 1 "$rounds"); do
    for t in "${targets[@]}"; do
      read -r rps p50 p90 p99 req cpu < <(run_wrk "$t" plain "$conns" "$duration" "$plain_lua")
      echo "$conns $t $rps $(to_ms "$p50") $(to_ms "$p90") $(to_ms "$p99") $req $cpu" >>"$results"
      echo "bench: $conns conn, round $round, $t: $rps req/s" >&2
    done
  done
done

echo
echo "Non-streamed chat, $payloads payload; wrk ${duration}s x $rounds interleaved rounds (medians); load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
printf '| %-8s | %5s | %9s | %8s | %8s | %8s | %10s | %9s | %12s |\n' \
  path conns "req/s" "p50 ms" "p90 ms" "p99 ms" "CPU ms/req" "x nginx" "added p50 ms"
printf '|%s|\n' "----------|------:|----------:|---------:|---------:|---------:|-----------:|----------:|-------------:"
for conns in 1 16 64; do
  proxy_rps=$(awk -v c="$conns" '$1 == c && $2 == "proxy" {print $3}' "$results" | median)
  direct_p50=$(awk -v c="$conns" '$1 == c && $2 == "direct" {print $4}' "$results" | median)
  for t in "${targets[@]}"; do
    rps=$(awk -v c="$conns" -v t="$t" '$1 == c && $2 == t {print $3}' "$results" | median)
    p50=$(awk -v c="$conns" -v t="$t" '$1 == c && $2 == t {print $4}' "$results" | median)
    p90=$(awk -v c="$conns" -v t="$t" '$1 == c && $2 == t {print $5}' "$results" | median)
    p99=$(awk -v c="$conns" -v t="$t" '$1 == c && $2 == t {print $6}' "$results" | median)
    cpu=$(awk -v c="$conns" -v t="$t" '$1 == c && $2 == t {print $8}' "$results" | median)
    awk -v t="$t" -v c="$conns" -v rps="$rps" -v p50="$p50" -v p90="$p90" -v p99="$p99" \
      -v cpu="$cpu" -v prps="$proxy_rps" -v dp50="$direct_p50" 'BEGIN {
        printf "| %-8s | %5d | %9.0f | %8.3f | %8.3f | %8.3f | %10.4f | %9.3f | %12s |\n",
          t, c, rps, p50, p90, p99, cpu, rps / prps, (t == "direct" ? "-" : sprintf("%+.3f", p50 - dp50)) }'
  done
done
echo "(CPU ms/req: the upstream nginx's for direct, the proxy's own for the others)"

if [ -z "$skip_stream" ]; then
  probe() { "$java" -cp "$bench_jar" dev.tta.models.benchmarks.Probe "$@" | awk '/^RESULT/'; }
  field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }
  stream_targets=(direct gateway)
  [ -n "$compare" ] && stream_targets=(direct before gateway)

  echo
  echo "Streams ($stream_chunks chunks each), one at a time over a keep-alive connection, medians of 200 after 200 of warm-up"
  printf '| %-8s | %10s | %15s | %13s | %16s |\n' path "head ms" "first token ms" "whole ms" "TTFT added ms"
  printf '|%s|\n' "----------|-----------:|----------------:|--------------:|-----------------:"
  direct_first=""
  for t in "${stream_targets[@]}"; do
    model=m
    [ "$t" != direct ] && model=bench-stream
    r=$(probe stream "$(url_of "$t" sse)" "$model" 200 200)
    first=$(field "$r" p50_first_token_ms)
    [ "$t" = direct ] && direct_first=$first
    awk -v t="$t" -v h="$(field "$r" p50_head_ms)" -v f="$first" -v w="$(field "$r" p50_total_ms)" \
      -v d="$direct_first" 'BEGIN {printf "| %-8s | %10.3f | %15.3f | %13.3f | %16s |\n", t, h, f, w,
        (t == "direct" ? "-" : sprintf("%+.3f", f - d))}'
  done

  echo
  echo "Streams under load: wrk 16 connections, ${duration}s"
  printf '| %-8s | %9s | %12s | %14s |\n' path "streams/s" "CPU ms/req" "CPU us/chunk"
  printf '|%s|\n' "----------|----------:|-------------:|---------------:"
  for t in "${stream_targets[@]}"; do
    read -r rps _ _ _ req cpu < <(run_wrk "$t" sse 16 "$duration" "$stream_lua")
    awk -v t="$t" -v rps="$rps" -v cpu="$cpu" -v n="$stream_chunks" \
      'BEGIN {printf "| %-8s | %9.0f | %12.4f | %14.2f |\n", t, rps, cpu, cpu * 1000 / n}'
  done

  echo
  echo "llama.cpp-like peer (Nagle on, head and body written apart), one request at a time, medians of 80 after 20 of warm-up"
  printf '| %-8s | %12s | %11s | %17s | %13s |\n' path "plain ms" "stream head" "stream first token" "stream whole"
  printf '|%s|\n' "----------|-------------:|------------:|-------------------:|--------------:"
  for t in "${stream_targets[@]}"; do
    model=tiny-random url="http://127.0.0.1:$llama_port/v1/chat/completions"
    if [ "$t" != direct ]; then model=bench-llama url=$(url_of "$t" llama); fi
    rp=$(probe plain "$url" "$model" 80 20)
    rs=$(probe stream "$url" "$model" 80 20)
    printf '| %-8s | %12.3f | %11.3f | %17.3f | %13.3f |\n' "$t" "$(field "$rp" p50_total_ms)" \
      "$(field "$rs" p50_head_ms)" "$(field "$rs" p50_first_token_ms)" "$(field "$rs" p50_total_ms)"
  done
  echo "(the probe acknowledges at once, as curl on a fresh connection does; without that, a keep-alive client waits 40 ms or more per answer from such a server)"

  echo
  rss_idle_after=$(rss_kb "$gw_pid")
  max_rss=0
  wrk -t2 -c256 -d12s --timeout 60s -s "$slow_lua" "$(url_of gateway slow)" >"$work/slow.out" 2>&1 &
  slow_wrk=$!
  pids+=($slow_wrk)
  while kill -0 "$slow_wrk" 2>/dev/null; do
    r=$(rss_kb "$gw_pid"); [ "$r" -gt "$max_rss" ] && max_rss=$r
    sleep 0.5
  done
  echo "Gateway memory (RSS): idle after start $((rss_idle_start / 1024)) MB; idle after the runs $((rss_idle_after / 1024)) MB; highest with 256 concurrent streams $((max_rss / 1024)) MB"
fi

if [ -s "$work/errors" ]; then
  echo "Errors (target, connections, non-2xx answers, requests), warm-up included:"
  sed 's/^/  /' "$work/errors"
fi
