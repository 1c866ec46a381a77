# llama-cpp-python's OpenAI-compatible server (`python -m llama_cpp.server`, the same arguments),
# started by scripts/llama-server.ts, with one change that leaves every answer as it was:
#
# For a completion with log-probabilities, llama-cpp-python 0.3.36 turns the logits of *every*
# token in the context into log-probabilities (`Llama.logits_to_logprobs(self._scores)`, context
# length × vocabulary) and then keeps only the rows of the tokens it returns: the last one, when
# the prompt is not echoed. On a 1,000-token prompt that is 0.4 s of numpy per request for
# SmolLM2's 49,152-token vocabulary and 3.9 s for Gemma 3's 262,144, more than the model's own
# work on the few new tokens a prefix-sharing plan sends. Here the rows are computed when they are
# asked for, so only the kept ones are.
#
# Then, for each kept row, it sorts the whole vocabulary as (log-probability, token) pairs in
# Python to take the top k: 1.1 s a read for Qwen2.5's 151,936 tokens. Here a row hands that sort
# only its largest TOP_KEPT values (the rest as -inf, which sort in one pass), so the top k it
# takes, and the sampled token's own value, are the same as before for any k up to TOP_KEPT.
import runpy
import sys

import numpy as np
from llama_cpp import Llama

_logits_to_logprobs = Llama.logits_to_logprobs
TOP_KEPT = 1000  # more than any top-k asked here (the app asks at most 100)


class _TopRow:
    """One row of log-probabilities that iterates as its TOP_KEPT largest values and -inf elsewhere."""

    def __init__(self, row):
        self._row = row
        kept = np.full(len(row), -np.inf, dtype=np.float64)
        top = np.argpartition(row, -TOP_KEPT)[-TOP_KEPT:] if len(row) > TOP_KEPT else np.arange(len(row))
        kept[top] = row[top]
        self._kept = kept.tolist()

    def __getitem__(self, i):
        return self._row[i]

    def __len__(self):
        return len(self._row)

    def __iter__(self):
        return iter(self._kept)


class _RowsOnDemand:
    """log_softmax of each row of a logits matrix, computed for the rows a slice asks for."""

    def __init__(self, logits):
        self._logits = logits

    def __getitem__(self, rows):
        return [_TopRow(r) for r in _logits_to_logprobs(self._logits[rows])]

    def __len__(self):
        return len(self._logits)


def logits_to_logprobs(logits, axis=-1):
    if isinstance(logits, np.ndarray) and logits.ndim == 2 and axis in (-1, 1):
        return _RowsOnDemand(logits)
    return _logits_to_logprobs(logits, axis=axis)


Llama.logits_to_logprobs = staticmethod(logits_to_logprobs)

if __name__ == "__main__":
    sys.argv[0] = "llama_cpp.server"
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
