/* The service worker of the monthly report form: the report pages and their files keep
   working without a connection (docs/stations.md, "On a phone, and offline").
   Served by stations.views.service_worker at /stations/sw.js (scope /stations/), which puts
   self.SW_CONFIG = {version, assets} above this file. Hand-written rather than Workbox:
   Workbox is meant to be bundled or loaded from a CDN, and these few rules are all it needs.
   - the files of the report page (the list, and any other file the form itself asks for):
     cache first (the cache's name changes with them);
   - a report's form (GET /stations/reports/<id>/edit/): network first, the last copy when
     there is no connection; a redirect (the report can no longer be edited, or the session
     ended) removes the copy;
   - everything else: the network, untouched. Drafts live in IndexedDB (static/js/report.js). */
"use strict";

const CONFIG = self.SW_CONFIG || { version: "dev", assets: [], static: "/static/" };
const CACHE = `report-${CONFIG.version}`;
const FORM = /^\/stations\/reports\/\d+\/edit\/$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(CONFIG.assets))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("report-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

/** Fetch a report's form and keep the copy, or drop it when the form is no longer there. */
async function refreshPage(request) {
  const response = await fetch(request);
  const cache = await caches.open(CACHE);
  if (response.ok && !response.redirected) await cache.put(request.url, response.clone());
  else await cache.delete(request.url);
  return response;
}

async function pageNetworkFirst(request) {
  try {
    return await refreshPage(request);
  } catch (error) {
    const copy = await caches.match(request.url, { cacheName: CACHE });
    if (copy) return copy;
    throw error;
  }
}

async function assetCacheFirst(request) {
  const copy = await caches.match(request, { cacheName: CACHE });
  if (copy) return copy;
  const response = await fetch(request);
  if (response.ok) (await caches.open(CACHE)).put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && FORM.test(url.pathname)) {
    event.respondWith(pageNetworkFirst(request));
  } else if (
    CONFIG.assets.includes(url.pathname) ||
    (url.pathname.startsWith(CONFIG.static) && FORM.test(new URL(request.referrer || self.location.href).pathname))
  ) {
    event.respondWith(assetCacheFirst(request));
  }
});

// The page asks for its own copy on the first visit (before this worker controlled it).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep-page") return;
  const url = new URL(data.url, self.location.origin);
  if (url.origin !== self.location.origin || !FORM.test(url.pathname)) return;
  event.waitUntil(refreshPage(new Request(url.href, { credentials: "same-origin" })).catch(() => {}));
});
