// Waiting for `vite preview` to serve the built app, for the scripts that drive it in Chromium.

/** Resolves once `url` answers 200, polling every 200 ms; throws after `ms`. */
export async function waitForServer(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fetch(url).then((r) => r.ok).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the preview server did not start at ${url}`);
}
