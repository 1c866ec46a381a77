#!/usr/bin/env bash
# Builds llama.cpp for the browser WITH ggml's WebAssembly SIMD kernels, for the llama.cpp backend
# (workers/backends/wllama/simd-engine.ts). Opt-in: about 20 minutes on 2 cores, and it needs
# Emscripten. Where it has not run, the app uses wllama 2.4.0's published build.
#
# Why a build of our own: wllama's published wasm (2.4.0 and 3.x) has none of ggml's hand-written
# wasm SIMD kernels. Emscripten's CMake toolchain reports CMAKE_SYSTEM_PROCESSOR as "x86" (to
# advertise a 32-bit platform), so ggml's CPU backend matches neither its x86 branch (which wants
# x86_64 / i686) nor its wasm branch (CMAKE_SYSTEM_PROCESSOR MATCHES "wasm") and compiles the
# generic C fallbacks; -msimd128 is passed, but only auto-vectorizes. Setting
# -DEMSCRIPTEN_SYSTEM_PROCESSOR=wasm selects ggml-cpu/arch/wasm/quants.c. 32-bit memory
# (LLAMA_WASM_MEM64=OFF) also drops memory64's bounds checks; the model must fit in 4 GB anyway.
#
# Sources, all from package registries: llama.cpp as vendored in llama-cpp-python's sdist on PyPI
# (the same llama.cpp the tests' native server is), Emscripten from Debian (apt-get install
# emscripten: 3.1.6 with clang 14 on Debian 12). Output, git-ignored:
# workers/backends/wllama/build/icm-llama.{mjs,wasm}. Usage:
#   bash scripts/build-llama-wasm.sh            # JOBS=2 by default; run under nice
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${LLAMA_WASM_WORK:-$ROOT/.cache/llama-wasm}"
OUT="$ROOT/workers/backends/wllama/build"
VERSION=0.3.36
SDIST_SHA256=832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e
JOBS="${JOBS:-2}"

if ! command -v emcc >/dev/null || ! command -v emcmake >/dev/null; then
  echo "Emscripten is needed: apt-get install emscripten (Debian), or an emsdk on PATH." >&2
  exit 1
fi
# Debian's emcc runs its JS optimizer with whatever node is first on PATH; give it Debian's acorn
[ -d /usr/share/nodejs/acorn ] && export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"
PYTHON="${PYTHON:-python3}"
[ -x "$ROOT/.venv-llama/bin/python" ] && PYTHON="$ROOT/.venv-llama/bin/python"

mkdir -p "$WORK" "$OUT"
SDIST="$WORK/llama_cpp_python-$VERSION.tar.gz"
if [ ! -f "$SDIST" ]; then
  "$PYTHON" -m pip download --no-binary :all: --no-deps "llama-cpp-python==$VERSION" -d "$WORK" -q
fi
echo "$SDIST_SHA256  $SDIST" | sha256sum -c --quiet
SRC="$WORK/llama_cpp_python-$VERSION/vendor/llama.cpp"
[ -d "$SRC" ] || tar xzf "$SDIST" -C "$WORK"

# -fwasm-exceptions: llama.cpp reports a bad file by throwing; without it a throw aborts the module.
FLAGS="-fwasm-exceptions"
BUILD="$WORK/build-$VERSION"
emcmake cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
  -DEMSCRIPTEN_SYSTEM_PROCESSOR=wasm -DLLAMA_WASM_MEM64=OFF -DBUILD_SHARED_LIBS=OFF \
  -DGGML_NATIVE=OFF -DGGML_OPENMP=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_HTML=OFF \
  -DLLAMA_BUILD_COMMON=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
  -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF \
  -DCMAKE_C_FLAGS="$FLAGS" -DCMAKE_CXX_FLAGS="$FLAGS" >"$WORK/cmake.log"
grep -q "Wasm detected" "$WORK/cmake.log" || { echo "ggml did not select its wasm kernels; see $WORK/cmake.log" >&2; exit 1; }
nice -n 15 cmake --build "$BUILD" --target llama -j "$JOBS"

FUNCS=_malloc,_free,_icm_load,_icm_free,_icm_n_ctx,_icm_n_ctx_train,_icm_n_vocab,_icm_bos,_icm_tokenize,_icm_decode,_icm_probs,_icm_kv_remove,_icm_kv_clear
nice -n 15 emcc -O3 -msimd128 $FLAGS "$ROOT/scripts/llama-wasm/icm-llama.c" \
  -I "$SRC/include" -I "$SRC/ggml/include" \
  "$BUILD/src/libllama.a" "$BUILD/ggml/src/libggml.a" "$BUILD/ggml/src/libggml-cpu.a" "$BUILD/ggml/src/libggml-base.a" \
  -sMODULARIZE=1 -sEXPORT_ES6=1 -sENVIRONMENT=worker -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=64MB \
  -sMAXIMUM_MEMORY=4GB -sFORCE_FILESYSTEM=1 -lworkerfs.js \
  -sEXPORTED_FUNCTIONS="$FUNCS" -sEXPORTED_RUNTIME_METHODS=FS,HEAPU8,HEAP32,HEAPF32 \
  -o "$OUT/icm-llama.mjs"
# the kernels are in: the wasm holds 128-bit SIMD instructions (v128 ops)
echo "built $OUT/icm-llama.mjs and icm-llama.wasm ($(stat -c %s "$OUT/icm-llama.wasm") bytes) from llama.cpp in llama-cpp-python $VERSION"
