#!/usr/bin/env bash
# The local provider's generation speed next to llama.cpp's own, on the same GGUF model.
#
# llama.cpp's side is node-llama-cpp's prebuilt llama.cpp library (pinned below), installed from
# the npm registry into benchmarks/target/llama-cpp-node (git ignores target/; nothing is built
# from source or downloaded from elsewhere) and driven by benchmarks/llama-cpp/generate.mjs. This
# project's side is LocalGenerationHarness: the real LocalProvider streaming answers as the
# gateway does. Both load the model with the same threads and context, evaluate the same prompt
# (the provider's transcript for a model without a chat template) with greedy sampling and
# generate the same number of tokens. A third side, where a C compiler is at hand, is llama.cpp's
# C API called directly on the same prebuilt library (benchmarks/llama-cpp/decode.c): what
# node-llama-cpp adds per token is then told apart from what its llama.cpp release costs. Each
# side runs in its own process, one after the other (local, node-llama-cpp, C API, local, ...),
# for --rounds rounds; each process loads the model, generates --warmup times to warm up, then
# --runs times measured. Prompt processing (to the first token) and decoding (first token to last) are timed
# apart; decode tokens/s counts generated - 1 tokens, and the process's CPU time over the decode
# is the second measure (noise from other processes moves it less). Medians over all measured runs.
#
#   benchmarks/bench-local.sh [--model FILE] [--threads 1,2] [--tokens N] [--rounds R] [--runs R]
#                             [--warmup W] [--context C] [--prompt TEXT] [--rebuild]
#
#   --model FILE    GGUF file (default ../shared/models/llama-2-tiny-random.gguf beside the repo)
#   --threads LIST  comma-separated thread counts (default 1,2)
#   --tokens N      tokens generated per run (default 128)
#   --rounds R      interleaved rounds per thread count (default 5)
#   --runs R        measured runs per process (default 3)
#   --warmup W      runs before those, not measured (default 10: the JVM compiles the provider's
#                   per-token path in its first runs, on the same cores, as a long-running gateway
#                   has long since done; every side gets the same)
#   --context C     context window, both sides (default 4096)
#   --prompt TEXT   the user's message (default: a short story request)
#   --rebuild       build the server and benchmarks jars even when they exist
#
# Needs node and npm (the npm registry reachable on the first run) and a JDK >= 21; the C API side
# also cc and git. Builds the server and benchmarks jars (package, never install) when they are
# missing. Not part of CI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
node_llama_cpp_version=3.22.1
model="$root/../shared/models/llama-2-tiny-random.gguf"
threads_list=1,2
tokens=128
rounds=5
runs=3
warmup=10
context=4096
prompt="Write a short story about a lighthouse keeper."
rebuild=""

usage() { sed -n '2,36p' "$0"; }
fail() {
  echo "bench-local: $*" >&2
  exit 2
}
positive() {
  [[ "$2" =~ ^[1-9][0-9]*$ ]] || fail "$1 must be a positive whole number, not '$2'"
}
while [ $# -gt 0 ]; do
  case "$1" in
    --model | --threads | --tokens | --rounds | --runs | --warmup | --context | --prompt)
      [ $# -ge 2 ] || fail "$1 needs a value"
      case "$1" in
        --model) model=$2 ;;
        --threads) threads_list=$2 ;;
        --tokens) tokens=$2 ;;
        --rounds) rounds=$2 ;;
        --runs) runs=$2 ;;
        --warmup) warmup=$2 ;;
        --context) context=$2 ;;
        --prompt) prompt=$2 ;;
      esac
      shift 2
      ;;
    --rebuild) rebuild=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) fail "unknown option $1 (see --help)" ;;
  esac
done
for name in tokens rounds runs warmup context; do
  positive "--$name" "${!name}"
done
IFS=, read -r -a thread_counts <<<"$threads_list"
[ ${#thread_counts[@]} -gt 0 ] || fail "--threads needs at least one thread count"
for count in "${thread_counts[@]}"; do
  positive "--threads" "$count"
done
# generated - 1 tokens are timed as the decode
[ "$tokens" -ge 2 ] || fail "--tokens must be at least 2, not $tokens"
[ -f "$model" ] || fail "no model file $model (give one with --model FILE)"
model=$(cd "$(dirname "$model")" && pwd)/$(basename "$model")

for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (Debian: apt-get install -y nodejs npm)"
done
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) prebuilt=@node-llama-cpp/linux-x64 ;;
  Linux-aarch64) prebuilt=@node-llama-cpp/linux-arm64 ;;
  *) fail "no prebuilt node-llama-cpp library is pinned for $(uname -s) $(uname -m)" ;;
esac

JAVA_HOME=$("$root/scripts/find-jdk.sh")
java="$JAVA_HOME/bin/java"
bench_jar="$root/benchmarks/target/benchmarks.jar"
if [ -n "$rebuild" ] || [ ! -f "$bench_jar" ] || ! compgen -G "$root/server/target/lib/llama-*.jar" >/dev/null; then
  echo "bench-local: building the server and benchmarks jars (package)..." >&2
  (cd "$root" && JAVA_HOME=$JAVA_HOME ./mvnw -B -ntp -q -pl server,benchmarks -am package \
    -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true)
fi
# the binding's jar that the gateway ships (the benchmarks jar leaves it out)
binding_jar=$(compgen -G "$root/server/target/lib/llama-*.jar" | head -1)

# --- llama.cpp through node-llama-cpp ------------------------------------------------------
scratch="$root/benchmarks/target/llama-cpp-node"
installed="$scratch/node_modules/node-llama-cpp/package.json"
if [ ! -f "$installed" ] || [ "$(node -p "require('$installed').version")" != "$node_llama_cpp_version" ] \
    || [ ! -d "$scratch/node_modules/$prebuilt" ]; then
  echo "bench-local: installing node-llama-cpp $node_llama_cpp_version into $scratch..." >&2
  rm -rf "$scratch"
  mkdir -p "$scratch"
  printf '{"name":"bench-local-llama-cpp","private":true,"type":"module"}\n' >"$scratch/package.json"
  # the prebuilt library for this machine only (the optional CUDA and Vulkan builds are large);
  # no install scripts: node-llama-cpp's would try to download or build llama.cpp when its
  # prebuilt library does not suit, and generate.mjs refuses both at run time too
  (cd "$scratch" && NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm install --omit=optional --ignore-scripts \
    --no-audit --no-fund --loglevel=error \
    "node-llama-cpp@$node_llama_cpp_version" "$prebuilt@$node_llama_cpp_version" >&2)
fi
cp "$root/benchmarks/llama-cpp/generate.mjs" "$root/benchmarks/llama-cpp/build-info.mjs" "$scratch/"
bins=$(dirname "$(compgen -G "$scratch/node_modules/$prebuilt/bins/*/libllama-common.so" | head -1)")

# --- llama.cpp's C API, the same prebuilt library with no binding --------------------------
# decode.c is compiled against the headers of the llama.cpp copy that node-llama-cpp ships (a git
# bundle in its package: cloned locally, nothing fetched) and linked to the prebuilt library; with
# no C compiler or git that column is left out
decode=""
if command -v cc >/dev/null 2>&1 && command -v git >/dev/null 2>&1; then
  source="$scratch/llama.cpp-source"
  if [ ! -d "$source/include" ]; then
    git clone -q "$scratch/node_modules/node-llama-cpp/llama/gitRelease.bundle" "$source" 2>/dev/null
  fi
  cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror \
    -I"$source/include" -I"$source/ggml/include" "$root/benchmarks/llama-cpp/decode.c" \
    -o "$scratch/decode" -L"$bins" \
    -l:"$(basename "$(compgen -G "$bins/libllama.*so" | head -1)")" \
    -l:"$(basename "$(compgen -G "$bins/libggml.*so" | head -1)")" -l:libggml-base.so \
    -Wl,-rpath,"$bins"
  decode="$scratch/decode"
else
  echo "bench-local: no C compiler or git: the llama.cpp C API column is left out" >&2
fi

work=$(mktemp -d /tmp/mm-bench-local.XXXXXX)
current=""
cleanup() {
  if [ -n "$current" ]; then
    kill "$current" 2>/dev/null || true
    wait "$current" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# runs one side in the background so that an interrupt stops it, and waits for it
run_side() {
  local out=$1
  shift
  "$@" >"$out" 2>"$out.err" &
  current=$!
  if ! wait "$current"; then
    current=""
    echo "bench-local: failed: $*" >&2
    cat "$out.err" >&2
    exit 1
  fi
  current=""
}

# the prompt as the provider builds it for a model without a chat template; with a template the
# two sides' prompt token counts differ, and the table says so
transcript=$'user: '"$prompt"$'\nassistant:'
mkdir -p "$work/jllama"
java_options=$("$root/scripts/java-options.sh")
echo "load average at start: $(cat /proc/loadavg)"
for count in "${thread_counts[@]}"; do
  for round in $(seq 1 "$rounds"); do
    # shellcheck disable=SC2086 # the gateway's JVM options are words
    run_side "$work/local-$count-$round" "$java" $java_options \
      -Dde.kherud.llama.tmpdir="$work/jllama" \
      -cp "$bench_jar:$binding_jar" dev.tta.models.benchmarks.LocalGenerationHarness \
      --model "$model" --threads "$count" --tokens "$tokens" --context "$context" \
      --warmup "$warmup" --runs "$runs" --prompt "$prompt"
    run_side "$work/llamacpp-$count-$round" node "$scratch/generate.mjs" \
      --model "$model" --threads "$count" --tokens "$tokens" --context "$context" \
      --warmup "$warmup" --runs "$runs" --prompt "$transcript"
    if [ -n "$decode" ]; then
      run_side "$work/capi-$count-$round" "$decode" --backends "$bins" \
        --model "$model" --threads "$count" --tokens "$tokens" --context "$context" \
        --warmup "$warmup" --runs "$runs" --prompt "$transcript"
    fi
    echo "threads $count, round $round of $rounds done; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  done
done
echo "load average at end:   $(cat /proc/loadavg)"

# --- the table -----------------------------------------------------------------------------
# per run: decode tokens/s, CPU µs per decoded token, prompt ms, prompt tokens, generated tokens
per_run() {
  cat "$work/$1-$2-"* 2>/dev/null | awk -F'\t' '$1 == "run" {
    decoded = $3 - 1
    printf "%.3f\t%.3f\t%.3f\t%d\t%d\n", decoded / ($5 / 1e9), $6 / 1e3 / decoded, $4 / 1e6, $2, $3
  }'
}
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
column_median() { per_run "$1" "$2" | cut -f"$3" | median; }
range() {
  per_run "$1" "$2" | cut -f"$3" | sort -g \
    | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR == 0) print "-"; else printf "%s-%s", lo, hi }'
}

echo
echo "model $model, $tokens tokens per run, context $context, $rounds rounds x $runs runs per side" \
  "after $warmup warm-up runs in each process"
echo
echo "| threads | llama.cpp (node-llama-cpp) tok/s | local provider tok/s | ratio | llama.cpp C API tok/s | ratio to C API | CPU µs/token node-llama-cpp / local / C API | prompt ms node-llama-cpp / local / C API | prompt tokens | tokens generated |"
echo "|---:|---:|---:|---:|---:|---:|---|---|---|---|"
for count in "${thread_counts[@]}"; do
  awk -v t="$count" \
    -v node="$(column_median llamacpp "$count" 1)" -v ours="$(column_median local "$count" 1)" \
    -v capi="$(column_median capi "$count" 1)" \
    -v node_cpu="$(column_median llamacpp "$count" 2)" -v ours_cpu="$(column_median local "$count" 2)" \
    -v capi_cpu="$(column_median capi "$count" 2)" \
    -v node_p="$(column_median llamacpp "$count" 3)" -v ours_p="$(column_median local "$count" 3)" \
    -v capi_p="$(column_median capi "$count" 3)" \
    -v pt="$(range llamacpp "$count" 4) / $(range local "$count" 4) / $(range capi "$count" 4)" \
    -v gen="$(range llamacpp "$count" 5) / $(range local "$count" 5) / $(range capi "$count" 5)" \
    'BEGIN {
      printf "| %d | %.0f | %.0f | %.3f | %s | %s | %.1f / %.1f / %s | %.2f / %.2f / %s | %s | %s |\n",
        t, node, ours, ours / node,
        capi == "nan" ? "-" : sprintf("%.0f", capi), capi == "nan" ? "-" : sprintf("%.3f", ours / capi),
        node_cpu, ours_cpu, capi_cpu == "nan" ? "-" : sprintf("%.1f", capi_cpu),
        node_p, ours_p, capi_p == "nan" ? "-" : sprintf("%.2f", capi_p), pt, gen
    }'
done
echo
echo "ratio: local provider / llama.cpp tokens/s (>= 0.95 is the target). Ranges of all runs, tok/s:"
for count in "${thread_counts[@]}"; do
  echo "  threads $count: node-llama-cpp $(range llamacpp "$count" 1), local $(range local "$count" 1), C API $(range capi "$count" 1)"
done

# --- versions --------------------------------------------------------------------------------
echo
binding_version=$(basename "$binding_jar" .jar)
case "$(uname -m)" in
  x86_64) jllama_path=de/kherud/llama/Linux/x86_64/libjllama.so ;;
  *) jllama_path=de/kherud/llama/Linux/aarch64/libjllama.so ;;
esac
unzip -p "$binding_jar" "$jllama_path" >"$work/libjllama.so"
echo "local provider: de.kherud:${binding_version#llama-} (llama-${binding_version#llama-}.jar),"
echo "  llama.cpp $(node "$scratch/build-info.mjs" "$work/libjllama.so")"
release=$(tail -1 "$work/llamacpp-${thread_counts[0]}-1" | cut -f2)
echo "llama.cpp side: node-llama-cpp $node_llama_cpp_version ($prebuilt), llama.cpp release $release,"
echo "  $(node "$scratch/build-info.mjs" "$bins/libllama-common.so")"
echo "  (node-llama-cpp builds from its own squashed copy of llama.cpp: its build number and commit"
echo "  are that copy's, the release tag is upstream's)"
