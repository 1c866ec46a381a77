# Native llama.cpp (llama-cpp-python) on the same token ids the browser bench read, for
# scripts/bench-wllama.ts: one eval of all of them (llama.cpp's best), and evals that stop at the
# same read points as the app's reader, each in tokens per CPU-second of this process; with
# --logprobs, log P(token) at each read point for the ids given, to compare two builds' arithmetic.
# Usage: python scripts/native_read.py MODEL.gguf IDS.json THREADS [READ_POINTS.json LABEL_IDS.json]
import json
import math
import sys
import time

import llama_cpp
from llama_cpp import Llama


def main() -> None:
    model, ids_path, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ids = json.load(open(ids_path))
    ends = json.load(open(sys.argv[4])) if len(sys.argv) > 4 else []
    labels = json.load(open(sys.argv[5])) if len(sys.argv) > 5 else []
    llm = Llama(model_path=model, n_ctx=4096, n_batch=512, n_threads=threads, n_threads_batch=threads, flash_attn=False, logits_all=False, verbose=False)
    llm.eval(ids[:16])  # warm-up
    llm.reset()
    out = {}
    c0 = time.process_time()
    llm.eval(ids)
    out["decode.tokensPerCpuSecond"] = round(len(ids) / (time.process_time() - c0), 1)
    if ends:
        llm.reset()
        reads = []
        spent = 0.0  # CPU seconds in eval only, not in the log-softmax below
        start = 0
        for end in ends:
            c0 = time.process_time()
            llm.eval(ids[start:end])
            spent += time.process_time() - c0
            start = end
            if labels:
                ptr = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1)  # the last decoded token's
                logits = [float(ptr[i]) for i in range(llm.n_vocab())]
                m = max(logits)
                z = m + math.log(sum(math.exp(x - m) for x in logits))
                reads.append([logits[t] - z for t in labels])
        out["reader.tokensPerCpuSecond"] = round(ends[-1] / spent, 1)
        out["reads"] = reads
    print(json.dumps(out))


main()
