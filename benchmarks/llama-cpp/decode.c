// llama.cpp's own generation loop with no binding around it, for bench-local.sh: the C API of the
// same prebuilt library that node-llama-cpp loads, so that what node-llama-cpp adds per token and
// what that llama.cpp release costs can be told apart. The loop is llama-bench's text generation
// (one llama_decode per token) plus greedy sampling, which the other two sides do too.
//
//   decode --backends DIR --model FILE --threads T --tokens N --context C --warmup W --runs R
//       --prompt TEXT
//
// Prints the same lines as generate.mjs: "run", prompt tokens, generated tokens, prompt ns,
// decode ns, decode CPU ns (tab-separated), one per measured run after W warm-up runs.
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ggml-backend.h"
#include "llama.h"

static int64_t nanos(clockid_t clock) {
  struct timespec now;
  clock_gettime(clock, &now);
  return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static void quiet(enum ggml_log_level level, const char *text, void *data) {
  (void)data;
  if (level == GGML_LOG_LEVEL_ERROR) {
    fputs(text, stderr);
  }
}

static void decode_or_exit(struct llama_context *context, llama_token *tokens, int count) {
  if (llama_decode(context, llama_batch_get_one(tokens, count)) != 0) {
    fprintf(stderr, "decode: llama_decode failed\n");
    exit(1);
  }
}

int main(int argc, char **argv) {
  const char *backends = NULL, *model_path = NULL, *prompt = "";
  int threads = 1, tokens = 128, context_size = 4096, warmup = 1, runs = 3;
  for (int i = 1; i < argc; i += 2) {
    if (i + 1 >= argc) {
      fprintf(stderr, "decode: missing value for %s\n", argv[i]);
      return 2;
    }
    const char *name = argv[i], *value = argv[i + 1];
    if (strcmp(name, "--backends") == 0) backends = value;
    else if (strcmp(name, "--model") == 0) model_path = value;
    else if (strcmp(name, "--prompt") == 0) prompt = value;
    else if (strcmp(name, "--threads") == 0) threads = atoi(value);
    else if (strcmp(name, "--tokens") == 0) tokens = atoi(value);
    else if (strcmp(name, "--context") == 0) context_size = atoi(value);
    else if (strcmp(name, "--warmup") == 0) warmup = atoi(value);
    else if (strcmp(name, "--runs") == 0) runs = atoi(value);
    else {
      fprintf(stderr, "decode: unknown option %s\n", name);
      return 2;
    }
  }
  if (backends == NULL || model_path == NULL) {
    fprintf(stderr, "decode: --backends and --model are needed\n");
    return 2;
  }
  llama_log_set(quiet, NULL);
  // the prebuilt library keeps its CPU kernels in one library per CPU generation beside it, and
  // picks the best one for this CPU, as node-llama-cpp has it do
  ggml_backend_load_all_from_path(backends);
  llama_backend_init();

  struct llama_model_params model_params = llama_model_default_params();
  model_params.n_gpu_layers = 0;
  struct llama_model *model = llama_model_load_from_file(model_path, model_params);
  if (model == NULL) {
    fprintf(stderr, "decode: cannot load %s\n", model_path);
    return 1;
  }
  struct llama_context_params context_params = llama_context_default_params();
  context_params.n_ctx = context_size;
  context_params.n_threads = threads;
  context_params.n_threads_batch = threads;
  struct llama_context *context = llama_init_from_model(model, context_params);
  const struct llama_vocab *vocab = llama_model_get_vocab(model);

  // with the begin token, as llama.cpp's server tokenizes a prompt
  int prompt_length = -llama_tokenize(vocab, prompt, strlen(prompt), NULL, 0, true, true);
  llama_token *prompt_tokens = malloc(sizeof(llama_token) * prompt_length);
  llama_tokenize(vocab, prompt, strlen(prompt), prompt_tokens, prompt_length, true, true);
  struct llama_sampler *greedy = llama_sampler_init_greedy();

  for (int run = -warmup; run < runs; run++) {
    llama_memory_clear(llama_get_memory(context), true);
    int64_t started = nanos(CLOCK_MONOTONIC);
    decode_or_exit(context, prompt_tokens, prompt_length);
    // an end-of-generation token is fed back like any other: every run has all its tokens
    llama_token token = llama_sampler_sample(greedy, context, -1);
    int64_t first_at = nanos(CLOCK_MONOTONIC);
    int64_t first_cpu = nanos(CLOCK_PROCESS_CPUTIME_ID);
    for (int generated = 1; generated < tokens; generated++) {
      decode_or_exit(context, &token, 1);
      token = llama_sampler_sample(greedy, context, -1);
    }
    int64_t ended_at = nanos(CLOCK_MONOTONIC);
    if (run >= 0) {
      printf("run\t%d\t%d\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\n", prompt_length, tokens,
             first_at - started, ended_at - first_at, nanos(CLOCK_PROCESS_CPUTIME_ID) - first_cpu);
    }
  }
  llama_sampler_free(greedy);
  free(prompt_tokens);
  llama_free(context);
  llama_model_free(model);
  llama_backend_free();
  return 0;
}
