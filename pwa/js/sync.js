// Sync with the server (shared/SYNC.md): push the outbox, then pull what changed, then keep
// the pages of the working set on the phone. Runs in a page and in the service worker.
import { forgetPages, keepPages } from "./pages.js";
import * as store from "./store.js";

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

/** The case data kept on the phone (records and pages) goes; the outbox stays, always. */
async function forgetCaseData() {
  await store.forgetRecords();
  await forgetPages();
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
  await store.setMeta("open_conflicts", me.open_conflicts ?? 0);
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

/** Increments the server applied that no pull has brought yet: a page adds those newer than
 * its copy of the record (each result's version says which), so a count shown between the
 * push and the pull of a round, or after a reload without signal then, stays whole. */
export const APPLIED_INCREMENTS = "applied_increments";

async function rememberIncrements(batch, results) {
  const applied = results.filter((r) => r.status === "applied" || r.status === "duplicate");
  const byId = new Map(batch.map((item) => [item.mutation.id, item.mutation]));
  const increments = applied.map((r) => ({ ...byId.get(r.id), version: r.version }))
    .filter((m) => m.type?.endsWith(".increment") && Number.isInteger(m.version))
    .map(({ type, record_id: recordId, fields, version }) => ({ type, record_id: recordId, fields, version }));
  if (increments.length) {
    await store.setMeta(APPLIED_INCREMENTS, [...((await store.getMeta(APPLIED_INCREMENTS)) ?? []), ...increments]);
  }
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
    await rememberIncrements(batch, results);
    await store.removeFromOutbox(done);
    await store.setAside(rejected);
    counts.sent += done.length;
    counts.rejected += rejected.length;
    counts.conflicts += results.filter((r) => r.status === "conflict").length;
  }
  return counts;
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A first sync: the records as a snapshot, a page at a time, then the pulls from its cursor.
 * A snapshot cut short goes on from its last page (the token is kept with the records); once
 * whole, every record kept is what the pages are planned from. */
async function snapshot() {
  for (;;) {
    const next = await store.getMeta("snapshot_next");
    const query = next ? `?next=${encodeURIComponent(next)}` : "";
    const response = await request(`/api/v1/sync/snapshot${query}`);
    if (response.status === 410) { // too old: drop the cache, start again
      await forgetCaseData();
      continue;
    }
    if (!response.ok) throw new Retry(`snapshot answered ${response.status}`);
    const body = await response.json();
    await store.applySnapshot(body.changes, body.next, body.cursor);
    if (!body.next) return store.everyRecord();
    // 202: the server read what it could in its time budget; the rest after a pause.
    if (response.status === 202) await pause(1000 * (Number(response.headers.get("Retry-After")) || 1));
  }
}

async function pull() {
  const changed = new Map();
  if (!(await store.getMeta("cursor"))) {
    for (const change of await snapshot()) changed.set(`${change.type}:${change.id}`, change);
  }
  for (;;) {
    const cursor = await store.getMeta("cursor");
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
    const response = await request(`/api/v1/sync/pull${query}`);
    if (response.status === 410) { // too old: drop the cache, start again
      await forgetCaseData();
      return pull();
    }
    if (!response.ok) throw new Retry(`pull answered ${response.status}`);
    const body = await response.json();
    await store.applyChanges(body.changes, body.cursor);
    for (const change of body.changes) changed.set(`${change.type}:${change.id}`, change);
    if (!body.more) return [...changed.values()];
  }
}

/** The pages of the working set made current; one that could not be leaves the round
 * incomplete (the next round fills it), never silently. */
async function keepWorkingSet(changes, freshSet, csrfToken) {
  const failures = await keepPages(changes, { freshSet, csrfToken });
  if (failures.some((failure) => failure.offline)) throw new Offline();
  if (failures.length) throw new Retry(failures.map((failure) => failure.reason).join("; "));
}

/** A round. `idle` (the timer of an open page): with nothing to send, only a pull, which
 * costs a few hundred bytes when nothing changed. `freshSet`: ask again which pages this
 * user keeps (the first round of a page). */
async function syncUnlocked({ idle = false, freshSet = false } = {}) {
  let counts = { sent: 0, rejected: 0, conflicts: 0 };
  let me = null;
  if (!idle || (await store.waiting()).length) {
    me = await session();
    counts = await push(me);
  }
  const changes = await pull();
  await store.setMeta(APPLIED_INCREMENTS, []); // the pull has them now
  if (idle && (await store.getMeta("session_ended"))) await store.setMeta("session_ended", false);
  if (counts.conflicts) {
    await store.setMeta("open_conflicts", ((await store.getMeta("open_conflicts")) ?? 0) + counts.conflicts);
    changes.push({ type: "conflict", id: "", deleted: false }); // the conflicts page changed
  }
  await keepWorkingSet(changes, freshSet, me?.csrf_token);
  await store.setMeta("last_synced", new Date().toISOString());
  return { ...counts, changed: changes.length };
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
 * { state: "synced" | "offline" | "signed-out" | "retry" | "error", ...counts or reason };
 * `options` as syncUnlocked takes them.
 */
export async function syncNow(options = {}) {
  const run = () => syncUnlocked(options).then((counts) => ({ state: "synced", ...counts }), failed).catch(reported);
  // Pages and the worker may all start a round: one at a time.
  const outcome = navigator.locks ? await navigator.locks.request("handvast-sync", run) : await run();
  announce({ type: "synced", ...outcome });
  return outcome;
}
