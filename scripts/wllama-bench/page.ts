// Hands the chosen GGUF and the bench settings (from the URL) to the bench worker, and the worker's
// CPU marks to Node (window.cpuMark, exposed by scripts/bench-wllama.ts); results land on window.benchResult.
const out = document.getElementById('out') as HTMLPreElement;
const input = document.getElementById('gguf') as HTMLInputElement;
const w = window as unknown as { benchResult?: unknown; benchError?: string; cpuMark?: () => Promise<number> };
input.addEventListener('change', () => {
  const file = input.files?.[0];
  if (!file) return;
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
  const params = Object.fromEntries(new URLSearchParams(location.search));
  worker.onmessage = async (e: MessageEvent<{ log?: string; result?: unknown; error?: string; mark?: number }>) => {
    if (e.data.mark !== undefined) worker.postMessage({ marked: e.data.mark, cpu: w.cpuMark ? await w.cpuMark() : NaN });
    if (e.data.log) out.textContent += e.data.log + '\n';
    if (e.data.result) w.benchResult = e.data.result;
    if (e.data.error) w.benchError = e.data.error;
  };
  worker.onerror = (e) => (w.benchError = e.message || 'the bench worker failed to start');
  worker.postMessage({ file, params });
});
