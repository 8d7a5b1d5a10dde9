// Sync with the server (shared/SYNC.md): push the outbox, then pull what changed, then keep
// the pages of the working set on the phone. Runs in a page and in the service worker.
import * as store from "./store.js";

// Pages kept on the phone; the name changes when what a page may hold changes (2: no
// private or sensitive note text), and the worker deletes the older copies on activate.
export const PAGES = "handvast-pages-2";
const BATCH = 200; // mutations per request (the server takes up to 500 and 2 MiB)
const BATCH_BYTES = 1024 * 1024;
const channel = new BroadcastChannel("handvast-sync");

class SignedOut extends Error {
  constructor(reason) {
    super("signed out");
    this.reason = reason;
  }
}
class Offline extends Error {}
class Retry extends Error {}

/** Pages without case data, kept through a sign-out of the session: the offline page and texts. */
export const OPEN_PAGES = ["/offline", "/i18n/messages.json"];

/** Lists and forms every field user needs; record pages are added as they arrive. */
const ALWAYS = ["/", "/people/", "/people/new", "/contacts/new", "/contacts/follow-ups",
  "/referrals/", "/referrals/new", "/services/", "/more", "/conflicts", "/attention", "/offline",
  "/i18n/messages.json"];
const RECENT_MS = 60 * 24 * 3600 * 1000; // older contacts are read on the server
const PAGE_OF = {
  person: (id) => [`/people/${id}`, `/people/${id}/edit`],
  contact: (id) => [`/contacts/${id}`],
  referral: (id) => [`/referrals/${id}`],
  service: (id) => [`/services/${id}`],
};
const worthKeeping = (change) => change.type !== "contact"
  || Date.now() - Date.parse(change.data.occurred_at) < RECENT_MS
  || (change.data.follow_up_on && !change.data.follow_up_done);

const listeners = new Set();

/** Tell every open page (and this one) that the outbox or the synced data changed. */
export function announce(message) {
  channel.postMessage(message);
  listeners.forEach((listener) => listener(message));
}

export function onAnnouncement(listener) {
  listeners.add(listener);
  channel.addEventListener("message", (event) => listener(event.data));
}

async function request(url, options = {}) {
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin", cache: "no-store", ...options });
  } catch {
    throw new Offline();
  }
  if (response.status === 401) throw new SignedOut((await response.json().catch(() => ({}))).reason);
  if (response.status >= 500 || response.status === 429) throw new Retry(`${url} answered ${response.status}`);
  return response;
}

/** A response the phone may keep: a page of the user's own, without a private or sensitive
 * note (the server marks those, server/web.py not_kept). */
export function keepable(response) {
  return response.ok && !response.redirected && response.headers.get("X-Handvast-Keep") !== "no";
}

/** The case data kept on the phone (records and pages) goes; the outbox stays, always. */
async function forgetCaseData() {
  await store.forgetRecords();
  const pages = await caches.open(PAGES);
  const gone = (await pages.keys()).filter((request) => !OPEN_PAGES.includes(new URL(request.url).pathname));
  await Promise.all(gone.map((request) => pages.delete(request)));
}

/** Whose phone this is now: when it changes hands, the new user starts clean. */
export async function claimPhone(userId) {
  store.setOwner(userId);
  const previous = await store.getMeta("user_id");
  if (previous && previous !== userId) await forgetCaseData();
  await store.setMeta("user_id", userId);
}

/** Who is signed in, with a fresh CSRF token. A session that ended hides the kept pages
 * (pwa/sw.js) until this answers again. */
async function session() {
  const me = await (await request("/api/v1/session")).json();
  await claimPhone(me.user_id);
  await store.setMeta("session_ended", false);
  return me;
}

/** The server said the session is gone: hide the kept pages; a closed account's go. */
async function sessionEnded(reason) {
  await store.setMeta("session_ended", true);
  if (reason === "account closed") await forgetCaseData();
}

function batches(items) {
  const out = [];
  let current = [];
  let size = 0;
  for (const item of items) {
    const bytes = JSON.stringify(item.mutation).length * 2;
    if (current.length && (current.length >= BATCH || size + bytes > BATCH_BYTES)) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length) out.push(current);
  return out;
}

async function push(me) {
  // Items saved before this phone first heard who is signed in belong to that user too.
  const items = (await store.waiting()).filter((item) => (item.user_id ?? me.user_id) === me.user_id);
  const clientId = await store.getMeta("client_id");
  const counts = { sent: 0, rejected: 0, conflicts: 0 };
  for (const batch of batches(items)) {
    const response = await request("/api/v1/sync/push", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": me.csrf_token },
      body: JSON.stringify({ client_id: clientId, mutations: batch.map((item) => item.mutation) }),
    });
    // 400/413: the batch stays whole, to try again later.
    if (!response.ok) throw new Retry(`push answered ${response.status}`);
    const { results } = await response.json();
    const done = results.filter((r) => r.status !== "rejected").map((r) => r.id);
    const rejected = results.filter((r) => r.status === "rejected");
    await store.removeFromOutbox(done);
    await store.setAside(rejected);
    counts.sent += done.length;
    counts.rejected += rejected.length;
    counts.conflicts += results.filter((r) => r.status === "conflict").length;
  }
  return counts;
}

async function pull() {
  const changed = new Map();
  for (;;) {
    const cursor = await store.getMeta("cursor");
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
    const response = await request(`/api/v1/sync/pull${query}`);
    if (response.status === 410) { // too old: drop the cache, start again
      await forgetCaseData();
      continue;
    }
    if (!response.ok) throw new Retry(`pull answered ${response.status}`);
    const body = await response.json();
    await store.applyChanges(body.changes, body.cursor);
    for (const change of body.changes) changed.set(`${change.type}:${change.id}`, change);
    if (!body.more) return [...changed.values()];
  }
}

/** The phone's copy of one page made current. The copy's ETag goes along as If-None-Match:
 * an unchanged page costs a 304 of a few hundred bytes instead of the page again. */
async function keepPage(cache, url) {
  const etag = (await cache.match(url))?.headers.get("ETag");
  const response = await fetch(url, { credentials: "same-origin", headers: etag ? { "If-None-Match": etag } : {} })
    .catch(() => { throw new Offline(); });
  if (response.status === 304) return;
  if (keepable(response)) await cache.put(url, response);
  else if (response.status === 404 || response.headers.get("X-Handvast-Keep") === "no") await cache.delete(url);
  else if (response.status >= 500) throw new Retry(`${url} answered ${response.status}`);
}

/** The pages of the working set, four at a time; a page that could not be made current
 * leaves the round incomplete (the next round fills it), never silently. */
async function cachePages(changes) {
  const cache = await caches.open(PAGES);
  const fetchList = new Set(ALWAYS);
  for (const change of changes) {
    const urls = PAGE_OF[change.type]?.(change.id) ?? [];
    if (change.deleted || !worthKeeping(change)) await Promise.all(urls.map((url) => cache.delete(url)));
    else urls.forEach((url) => fetchList.add(url));
    // A contact's people show it on their timeline: their pages change with it.
    for (const personId of change.data?.person_ids ?? []) fetchList.add(`/people/${personId}`);
  }
  const queue = [...fetchList];
  const failures = [];
  const worker = async () => {
    while (queue.length) {
      const url = queue.shift();
      await keepPage(cache, url).catch((error) => failures.push(error));
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  if (failures.length) throw failures.find((error) => error instanceof Offline) ?? failures[0];
}

async function syncUnlocked() {
  const me = await session();
  const counts = await push(me);
  const changes = await pull();
  await cachePages(changes);
  await store.setMeta("last_synced", new Date().toISOString());
  return counts;
}

/** A round that failed for a reason other than no connection or no session: said, not hidden. */
function reported(error) {
  console.error("handvast: the sync round did not complete", error);
  return { state: error instanceof Retry ? "retry" : "error", reason: String(error?.message ?? error) };
}

/** What became of a round that did not complete. */
async function failed(error) {
  if (error instanceof Offline) return { state: "offline" };
  if (!(error instanceof SignedOut)) return reported(error);
  await sessionEnded(error.reason);
  return { state: "signed-out" };
}

/**
 * One sync round; the outcome is announced to every open page. Never rejects: returns
 * { state: "synced" | "offline" | "signed-out" | "retry" | "error", ...counts or reason }.
 */
export async function syncNow() {
  const run = () => syncUnlocked().then((counts) => ({ state: "synced", ...counts }), failed).catch(reported);
  // Pages and the worker may all start a round: one at a time.
  const outcome = navigator.locks ? await navigator.locks.request("handvast-sync", run) : await run();
  announce({ type: "synced", ...outcome });
  return outcome;
}
