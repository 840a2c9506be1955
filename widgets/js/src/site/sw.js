// The static lesson site's service worker: the lessons a visitor has opened keep working
// offline. It lives at the site's root (its scope is the whole site, under any base path).
//
// - Hashed assets (assets/…): cache first; their names change when their bytes do.
// - Pages and anything else: network first, so a new export is seen at once; the cached
//   copy when the network fails.
// - A page asks it to keep the page and the assets it has already loaded (they were fetched
//   before this worker controlled the page), by a message.
// It caches only this site's own URLs and never contacts another host. The export writes its
// hash into VERSION, so a new export starts a new cache and the old one is deleted.

const VERSION = "__NETWISE_SITE_VERSION__";
const PREFIX = "netwise-site-";
const CACHE = PREFIX + VERSION;
const SCOPE = self.registration.scope;

const ours = (url) => url.startsWith(SCOPE);
const hashed = (url) => /\/assets\/[^/]+\.[0-9a-zA-Z_-]{8,}\.(js|css)$/.test(new URL(url).pathname);

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function keep(urls) {
  const cache = await caches.open(CACHE);
  await Promise.all(urls.filter(ours).map(async (url) => {
    try {
      const response = await fetch(url, { cache: "no-cache" });
      if (response.ok) await cache.put(url, response);
    } catch (err) { /* offline now: kept next time */ }
  }));
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.urls)) {
    const done = keep(data.urls.filter((u) => typeof u === "string"));
    event.waitUntil(done.then(() => event.source && event.source.postMessage({ type: "kept" })));
  }
});

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (err) {
    const hit = await cache.match(request, { ignoreSearch: true });
    if (hit) return hit;
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || !ours(request.url)) return;
  event.respondWith(hashed(request.url) ? cacheFirst(request) : networkFirst(request));
});
