// Offline after the first visit: the app's own files are served network-first and kept in a
// cache, so when the network is gone the last version seen still opens. Only same-origin GETs
// are touched; model files (other hosts) are cached by web-llm itself in the Cache API.
// Keeping a copy is best effort: when it fails (storage full, quota), the network's answer is
// still served; only a failed fetch falls back to the cache.
// On install it copies every file of the build (precache.json, written by scripts/precache.ts),
// so the second visit opens offline even for files the first visit never loaded. URLs are
// relative to this script, which sits beside index.html: the app works under any sub-path.
// Cross-origin isolation: a host that does not send COOP/COEP (most static hosts) leaves the page
// without SharedArrayBuffer, so llama.cpp's wasm runs on one thread; this worker adds the two
// headers to the app's own files, so from the second load on the page is isolated (README, "Deploy").
const CACHE = 'icm-app-v1';
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const INDEX = new URL('./', self.location.href).href;

self.addEventListener('install', (event) => {
  self.skipWaiting();
  event.waitUntil(
    (async () => {
      const list = await (await fetch('precache.json', { cache: 'no-cache' })).json();
      const cache = await caches.open(CACHE);
      await cache.addAll(list.map((path) => new URL(path, self.location.href).href));
    })().catch((e) => console.warn('Offline copy of the app not kept on install; files are kept as they load:', e)),
  );
});
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

async function fromCache(request) {
  try {
    const cache = await caches.open(CACHE);
    return (await cache.match(request)) ?? (request.mode === 'navigate' ? await cache.match(INDEX) : undefined);
  } catch {
    return undefined;
  }
}

/** The response with COOP/COEP added where the host sent none. */
function isolated(response) {
  if (response.type === 'opaque' || response.headers.has('Cross-Origin-Embedder-Policy')) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      let response;
      try {
        response = await fetch(request);
      } catch (error) {
        const cached = await fromCache(request);
        if (cached) return isolated(cached);
        throw error;
      }
      if (response.ok) {
        const copy = response.clone();
        event.waitUntil(
          caches
            .open(CACHE)
            .then((cache) => cache.put(request, copy))
            .catch((e) => console.warn('Offline copy not kept (storage full?):', request.url, e)),
        );
      }
      return isolated(response);
    })(),
  );
});
