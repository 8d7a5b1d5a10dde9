// The service worker: the app shell from its versioned cache, pages network-first (then the
// phone's copy, then the offline page), the outbox sent by Background Sync (retried by the
// browser until a round completes). When the session has ended the phone's copies of case
// pages are not served until someone signs in again.
import { keepable, OPEN_PAGES, PAGES, standIn } from "/static/js/pages.js";
import * as store from "/static/js/store.js";
import { announce, syncNow } from "/static/js/sync.js";

const VERSION = "dev"; // set by the server to a digest of pwa/ (server/pwa/views.py)
const SHELL_CACHE = `handvast-shell-${VERSION}`;
const NETWORK_TIMEOUT_MS = 3000;
// The app shell: every file of pwa/ and the manifest, listed by the server as it serves this
// worker (server/pwa/views.py), so a new file is never forgotten.
const SHELL = [];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    // Checked with the server (a 304 for a file the page just loaded), never taken unchecked
    // from the browser's HTTP cache, where files are kept for minutes.
    await (await caches.open(SHELL_CACHE)).addAll(SHELL.map((url) => new Request(url, { cache: "no-cache" })));
    const pages = await caches.open(PAGES);
    await Promise.all(OPEN_PAGES.map((url) => pages.add(url)
      .catch((error) => console.error(`handvast: ${url} not kept for offline use`, error))));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const stale = (await caches.keys()).filter((key) => (key.startsWith("handvast-shell-") && key !== SHELL_CACHE)
      || (key.startsWith("handvast-pages") && key !== PAGES));
    await Promise.all(stale.map((key) => caches.delete(key)));
    await self.clients.claim();
  })());
});

async function fromShell(request) {
  return (await caches.match(request, { cacheName: SHELL_CACHE })) ?? fetch(request);
}

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms))]);
}

/** The request, conditional on the phone's copy of the page when there is one: an unchanged
 * page costs a 304 and the copy is shown. (Not with a query: the copy was kept without it.) */
async function revalidating(request, url) {
  const kept = url.search ? undefined : await (await caches.open(PAGES)).match(url.pathname);
  const etag = kept?.headers.get("ETag");
  if (!etag) return { request, kept: undefined };
  const headers = new Headers(request.headers);
  headers.set("If-None-Match", etag);
  return { request: new Request(request, { headers, cache: "no-store" }), kept };
}

/** Pages: the network within a few seconds (and a fresh copy kept), else the phone's copy. */
async function page(event) {
  const url = new URL(event.request.url);
  const navigation = event.request.mode === "navigate";
  const { request, kept } = await revalidating(event.request, url);
  const network = fetch(request).then(async (response) => {
    if (response.status === 304 && kept) return kept;
    // A record made on this phone that the server does not have yet (its sync is under way).
    if (response.status === 404 && navigation) return (await standIn(url.pathname)) ?? response;
    if (keepable(response) && !url.search) {
      await (await caches.open(PAGES)).put(url.pathname, response.clone());
    }
    return response;
  });
  event.waitUntil(network.catch(() => {}));
  try {
    const response = await withTimeout(network, NETWORK_TIMEOUT_MS);
    if (navigation) await fromPhone(false);
    return response;
  } catch {
    if (navigation) await fromPhone(true);
    const pages = await caches.open(PAGES);
    const shown = OPEN_PAGES.includes(url.pathname) || !(await sessionEnded());
    return (shown && ((await pages.match(url.pathname)) || (await standIn(url.pathname))))
      || (await pages.match("/offline"))
      || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
  }
}

/** Whether the page being opened is the phone's copy (the server did not answer): the page
 * shows "offline" at once (pwa/js/status.js). */
async function fromPhone(yes) {
  await store.setMeta("page_from_phone", yes).catch(() => {});
}

/** A sync was answered 401 and nobody has signed in since (pwa/js/sync.js). */
async function sessionEnded() {
  return (await store.getMeta("session_ended").catch(() => false)) === true;
}

/** A form only the server can take, sent while it cannot be reached: a 204 leaves the browser
 * on the page, with what was typed, and the page says it needs a connection
 * (pwa/js/connection.js). Never the browser's error page. */
async function posted(request) {
  try {
    return await fetch(request);
  } catch {
    announce({ type: "needs-connection", path: new URL(request.url).pathname });
    return new Response(null, { status: 204 });
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && request.mode === "navigate") {
    event.respondWith(posted(request));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.startsWith("/api/") || request.headers.get("HX-Request")) return;
  if (SHELL.includes(url.pathname)) event.respondWith(fromShell(request));
  else if (request.mode === "navigate" || url.pathname === "/i18n/messages.json") event.respondWith(page(event));
});

/** Background Sync: a round that did not complete rejects, so the browser tries again later,
 * as Workbox's Queue does; the outcome is shown on the open pages (syncNow announces it). */
self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  event.waitUntil(syncNow().then((outcome) => {
    if (outcome.state !== "synced") throw new Error(`sync not complete: ${outcome.state}`);
  }));
});

// -- reminders (web push; server/push): the server's text, already in the user's language --

/** A path of this site, never another origin: a tap opens only pages of handvast. */
function ownPath(url) {
  try {
    const target = new URL(url, self.location.origin);
    return target.origin === self.location.origin ? target.pathname + target.search + target.hash : "/";
  } catch {
    return "/";
  }
}

function reminderOf(data) {
  let message = {};
  try {
    message = data?.json() ?? {};
  } catch {
    message = {};
  }
  const text = (value) => (typeof value === "string" ? value.slice(0, 200) : "");
  return { title: text(message.title) || "handvast", body: text(message.body), url: ownPath(message.url) };
}

self.addEventListener("push", (event) => {
  const reminder = reminderOf(event.data);
  event.waitUntil(self.registration.showNotification(reminder.title, {
    body: reminder.body,
    icon: "/static/icons/icon-192.png",
    dir: "auto",
    data: { url: reminder.url },
  }));
});

/** A tap: the window already showing that page comes to the front; else the page opens in a
 * new one. An open window is never navigated away: it may hold a form being typed. */
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = ownPath(event.notification.data?.url);
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const target = new URL(url, self.location.origin).href;
    const showing = windows.find((client) => client.url === target);
    if (showing) await showing.focus();
    else await self.clients.openWindow(url);
  })());
});
