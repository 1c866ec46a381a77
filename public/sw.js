// Offline after the first visit: the app's own files are served network-first and kept in a
// cache, so when the network is gone the last version seen still opens. Only same-origin GETs
// are touched; model files (other hosts) are cached by web-llm itself in the Cache API.
// Keeping a copy is best effort: when it fails (storage full, quota), the network's answer is
// still served; only a failed fetch falls back to the cache.
const CACHE = 'icm-app-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

async function fromCache(request) {
  try {
    const cache = await caches.open(CACHE);
    return (await cache.match(request)) ?? (request.mode === 'navigate' ? await cache.match('/') : undefined);
  } catch {
    return undefined;
  }
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
        if (cached) return cached;
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
      return response;
    })(),
  );
});
