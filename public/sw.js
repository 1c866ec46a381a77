// Offline after the first visit: the app's own files are served network-first and kept in a
// cache, so when the network is gone the last version seen still opens. Only same-origin GETs
// are touched; model files (other hosts) are cached by web-llm itself in the Cache API.
const CACHE = 'icm-app-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(request);
        if (response.ok) await cache.put(request, response.clone());
        return response;
      } catch (error) {
        const cached = (await cache.match(request)) ?? (request.mode === 'navigate' ? await cache.match('/') : undefined);
        if (cached) return cached;
        throw error;
      }
    })(),
  );
});
