// Lets the worker's event loop run between search steps, so a 'pause' sent mid-run is read.
// A MessageChannel round trip is a fresh task with no delay; nested setTimeout(0) would be
// clamped to 4 ms per step by the browser.

export function yieldToEvents(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
