// The few llama.cpp calls the app's reader needs (workers/backends/wllama/simd-engine.ts), for a
// WebAssembly build of llama.cpp with ggml's SIMD kernels (scripts/build-llama-wasm.sh): load a GGUF
// file, tokenize, decode (appending to the KV cache), the next-token probabilities after the last
// decoded token, and cutting the KV cache back. One model and one context at a time, one thread.

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <emscripten/emscripten.h>

#include "llama.h"

static struct llama_model *model = NULL;
static struct llama_context *ctx = NULL;
static const struct llama_vocab *vocab = NULL;
static float *probs = NULL; // softmax of the last logits, n_vocab floats

static void quiet(enum ggml_log_level level, const char *text, void *user) {
  (void)user;
  if (level == GGML_LOG_LEVEL_ERROR) emscripten_log(EM_LOG_CONSOLE | EM_LOG_ERROR, "%s", text);
}

EMSCRIPTEN_KEEPALIVE void icm_free(void) {
  if (ctx) llama_free(ctx);
  if (model) llama_model_free(model);
  free(probs);
  ctx = NULL;
  model = NULL;
  vocab = NULL;
  probs = NULL;
}

/** Loads a GGUF file from the virtual file system. Returns 0, or 1 when the model did not load,
 *  2 when its context could not be made. flash = 0 and kv_f32 = 1 are the reader's settings. */
EMSCRIPTEN_KEEPALIVE int icm_load(const char *path, int n_ctx, int n_batch, int n_threads, int flash, int kv_f32) {
  icm_free();
  llama_log_set(quiet, NULL);
  llama_backend_init();
  struct llama_model_params mp = llama_model_default_params();
  mp.load_mode = LLAMA_LOAD_MODE_NONE; // read into the heap: no mmap in the browser
  model = llama_model_load_from_file(path, mp);
  if (!model) return 1;
  vocab = llama_model_get_vocab(model);
  struct llama_context_params cp = llama_context_default_params();
  cp.n_ctx = n_ctx;
  cp.n_batch = n_batch;
  cp.n_ubatch = n_batch;
  cp.n_seq_max = 1;
  cp.n_threads = n_threads;
  cp.n_threads_batch = n_threads;
  cp.flash_attn_type = flash ? LLAMA_FLASH_ATTN_TYPE_AUTO : LLAMA_FLASH_ATTN_TYPE_DISABLED;
  cp.type_k = kv_f32 ? GGML_TYPE_F32 : GGML_TYPE_F16;
  cp.type_v = kv_f32 ? GGML_TYPE_F32 : GGML_TYPE_F16;
  cp.no_perf = 1;
  ctx = llama_init_from_model(model, cp);
  if (!ctx) {
    icm_free();
    return 2;
  }
  probs = malloc(sizeof(float) * (size_t)llama_vocab_n_tokens(vocab));
  return 0;
}

EMSCRIPTEN_KEEPALIVE int icm_n_ctx(void) { return (int)llama_n_ctx(ctx); }
EMSCRIPTEN_KEEPALIVE int icm_n_ctx_train(void) { return llama_model_n_ctx_train(model); }
EMSCRIPTEN_KEEPALIVE int icm_n_vocab(void) { return llama_vocab_n_tokens(vocab); }
EMSCRIPTEN_KEEPALIVE int icm_bos(void) { return llama_vocab_get_add_bos(vocab) ? llama_vocab_bos(vocab) : -1; }

/** Token ids of len bytes of UTF-8 text into out (room for max); no special tokens added or parsed.
 *  Returns the count, or minus the count needed when max is too small. */
EMSCRIPTEN_KEEPALIVE int icm_tokenize(const char *text, int len, int *out, int max) {
  return llama_tokenize(vocab, text, len, out, max, false, false);
}

/** Appends n tokens to the KV cache, keeping the logits of the last. Returns llama_decode's status (0 ok). */
EMSCRIPTEN_KEEPALIVE int icm_decode(int *tokens, int n) {
  return llama_decode(ctx, llama_batch_get_one(tokens, n));
}

/** Next-token probabilities after the last decoded token: softmax over the whole vocabulary. */
EMSCRIPTEN_KEEPALIVE const float *icm_probs(void) {
  const float *logits = llama_get_logits_ith(ctx, -1);
  if (!logits) return NULL;
  const int n = llama_vocab_n_tokens(vocab);
  float max = logits[0];
  for (int i = 1; i < n; i++) if (logits[i] > max) max = logits[i];
  double sum = 0;
  for (int i = 0; i < n; i++) sum += exp((double)logits[i] - max);
  for (int i = 0; i < n; i++) probs[i] = (float)(exp((double)logits[i] - max) / sum);
  return probs;
}

/** Drops every cached position from p on. Returns 1 when done. */
EMSCRIPTEN_KEEPALIVE int icm_kv_remove(int p) {
  return llama_memory_seq_rm(llama_get_memory(ctx), 0, p, -1) ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE void icm_kv_clear(void) { llama_memory_clear(llama_get_memory(ctx), true); }
