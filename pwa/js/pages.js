// The pages of the working set kept on the phone (Cache Storage): which ones (the server says,
// per role: GET /working-set.json, server/working_set.py), which responses may be kept, and
// when a copy is made current — only when a pulled change concerns it, so an idle phone
// downloads next to nothing. Used by sync (pwa/js/sync.js) and the worker.
import * as store from "./store.js";

// Pages kept on the phone; the name changes when what a page may hold changes (2: no
// private or sensitive note text), and the worker deletes the older copies on activate.
export const PAGES = "handvast-pages-2";

/** Pages without case data, kept through a sign-out of the session: the offline page and texts. */
export const OPEN_PAGES = ["/offline", "/i18n/messages.json"];

const SET_URL = "/working-set.json";
const RECENT_MS = 60 * 24 * 3600 * 1000; // older gatherings, rounds, signals are read on the server
// A contact's page is kept for the days it may still be corrected, or while its follow-up is
// open; it shows on its people's kept pages all the same, and older ones open on the server.
const RECENT_CONTACT_MS = 14 * 24 * 3600 * 1000;
const ALL_AGAIN_MS = 12 * 3600 * 1000; // every kept page revalidated at least this often
const ID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
// Of gatherings and rounds, the coming and recent ones (older ones are read on the server).
const RECENT_OF = { gathering: "starts_at", outreach_round: "started_at" };
const recent = (at, ms = RECENT_MS) => Date.now() - Date.parse(at) < ms;
const worthKeeping = (change) => {
  if (RECENT_OF[change.type]) return recent(change.data[RECENT_OF[change.type]]);
  // Of signals, the ones still worked on and the recently moved (a triage role sees the whole
  // municipality's; the others are read on the server).
  if (change.type === "signal") {
    return change.data.status !== "resolved" || recent(change.data.steps?.at(-1)?.at ?? change.data.created_at);
  }
  return change.type !== "contact"
    || recent(change.data.occurred_at, RECENT_CONTACT_MS)
    || (change.data.follow_up_on && !change.data.follow_up_done);
};

/** Pages of records made on this phone and not yet synced: the server has no such page yet,
 * so the phone shows a kept page that takes the record from its outbox (the page's script
 * fills it in). [pattern, the kept page, the mutation that makes the record]. */
export const STAND_INS = [
  [new RegExp(`^/gatherings/(${ID})/count$`), "/gatherings/count", "gathering.create"],
];

/** The kept page standing in for `path`, when its record waits in the outbox of the phone's
 * user (the service worker knows them from the last sign-in, not from a page). */
export async function standIn(path) {
  for (const [pattern, url, type] of STAND_INS) {
    const id = path.match(pattern)?.[1];
    if (!id) continue;
    const me = store.currentOwner() ?? (await store.getMeta("user_id"));
    const waiting = (await store.everyonesOutbox()).some((item) => me && (item.user_id ?? me) === me
      && item.mutation.type === type && item.mutation.record_id === id);
    if (waiting) return (await caches.open(PAGES)).match(url);
  }
  return undefined;
}

/** A response the phone may keep: a page of the user's own, without a private or sensitive
 * note (the server marks those, server/web.py not_kept). */
export function keepable(response) {
  return response.ok && !response.redirected && response.headers.get("X-Handvast-Keep") !== "no";
}

/** Every kept page with case data goes; the offline page and the texts stay. */
export async function forgetPages() {
  const pages = await caches.open(PAGES);
  const gone = (await pages.keys()).filter((request) => !OPEN_PAGES.includes(new URL(request.url).pathname));
  await Promise.all(gone.map((request) => pages.delete(request)));
}

/** The phone's copy of one page made current. The copy's ETag goes along as If-None-Match:
 * an unchanged page costs a 304 of a few hundred bytes instead of the page again. Returns
 * why the copy could not be made current, or null. */
async function keepPage(cache, url) {
  const etag = (await cache.match(url))?.headers.get("ETag");
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin", cache: "no-store",
      headers: etag ? { "If-None-Match": etag } : {} });
  } catch {
    return { url, offline: true };
  }
  if (response.status === 304) return null;
  if (keepable(response)) await cache.put(url, response);
  else if (response.status === 404 || response.headers.get("X-Handvast-Keep") === "no") await cache.delete(url);
  else if (response.status >= 500) return { url, reason: `${url} answered ${response.status}` };
  return null;
}

// Retention on the phone: a kept page the server has not confirmed (200 or 304) for this long
// goes, whether it left the working set or the phone could not reach the server for it (every
// kept page is revalidated at least every ALL_AGAIN_MS); the stamps live beside them.
const STALE_MS = 14 * 24 * 3600 * 1000;
const KEPT_AT = "/kept-pages.json";

async function keptAt(cache) {
  try {
    return (await (await cache.match(KEPT_AT))?.json()) ?? {};
  } catch {
    return {};
  }
}

/** Drops the pages not confirmed for STALE_MS, stamps those confirmed now (`confirmed`). */
async function dropStale(cache, stamps, confirmed) {
  const now = Date.now();
  for (const url of confirmed) stamps[url] = now;
  const gone = [];
  const kept = {};
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path === KEPT_AT || path === SET_URL || OPEN_PAGES.includes(path)) continue;
    const at = stamps[path] ?? now; // kept by the worker while browsing: counted from now
    if (now - at > STALE_MS) gone.push(request);
    else kept[path] = at;
  }
  await Promise.all(gone.map((request) => cache.delete(request)));
  await cache.put(KEPT_AT, new Response(JSON.stringify(kept), { headers: { "Content-Type": "application/json" } }));
}

/** This user's working set: { pages: [{ url, concerns }], records: { type: [template] },
 * version }, asked again (a 304 when unchanged) when `fresh`, else the phone's copy. */
async function workingSet(cache, fresh) {
  if (fresh || !(await cache.match(SET_URL))) {
    const failure = await keepPage(cache, SET_URL);
    if (failure) return { failure };
  }
  const kept = await cache.match(SET_URL);
  return kept ? kept.json() : { pages: [], records: {}, version: "none" };
}

const recordUrls = (set, type, id) => (set.records[type] ?? []).map((template) => template.replace("{id}", id));

const templateRe = (template) =>
  new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace("{id}", ID)}$`);

function isKeptUrl(set, path) {
  if (OPEN_PAGES.includes(path) || path === SET_URL || path === KEPT_AT || set.pages.some((p) => p.url === path)) return true;
  return Object.values(set.records).flat().some((template) => templateRe(template).test(path));
}

/** Pages a pulled change makes stale: pages of the working set that concern its type, and
 * kept pages of records whose template does (`paths`: the pages on the phone). */
function concerned(set, changes, paths) {
  const types = new Set(changes.map((change) => change.type));
  const concerns = (list) => list.some((type) => (type === "*" ? types.size > 0 : types.has(type)));
  const urls = set.pages.filter((p) => concerns(p.concerns)).map((p) => p.url);
  for (const [template, list] of Object.entries(set.record_concerns ?? {})) {
    if (concerns(list)) urls.push(...paths.filter((path) => templateRe(template).test(path)));
  }
  return urls;
}

/** Every kept page of a record goes, whatever its template: its id is in its path. */
async function forgetRecord(cache, paths, id) {
  await Promise.all(paths.filter((path) => path.split("/").includes(id)).map((path) => cache.delete(path)));
}

/** Which pages to fetch after pulling `changes`: those they concern, those not on the phone
 * yet, those not confirmed for a while (`stamps`, so a page still in the set is confirmed
 * long before the retention rule would drop it), and all of them when the set changed or it
 * has been a while. Pages no longer in the set (another role now) and pages of records gone go. */
async function plan(cache, set, changes, stamps) {
  const paths = (await cache.keys()).map((request) => new URL(request.url).pathname);
  const stale = set.version !== (await store.getMeta("pages_version"))
    || Date.now() - ((await store.getMeta("pages_all_at")) ?? 0) > ALL_AGAIN_MS;
  const fetchList = new Set(set.pages.map((p) => p.url).filter((url) => stale || !paths.includes(url)));
  concerned(set, changes, paths).forEach((url) => fetchList.add(url));
  paths.filter((path) => Date.now() - (stamps[path] ?? Date.now()) > ALL_AGAIN_MS).forEach((path) => fetchList.add(path));
  if (stale) paths.filter((path) => !OPEN_PAGES.includes(path) && path !== SET_URL && path !== KEPT_AT).forEach((path) => fetchList.add(path));
  const gone = new Set();
  for (const change of changes) {
    if (change.deleted || !worthKeeping(change)) {
      gone.add(change.id);
      await forgetRecord(cache, paths, change.id);
    } else recordUrls(set, change.type, change.id).forEach((url) => fetchList.add(url));
    // A contact's people show it on their timeline: their pages change with it.
    for (const personId of change.data?.person_ids ?? []) recordUrls(set, "person", personId).forEach((url) => fetchList.add(url));
  }
  await Promise.all(paths.filter((path) => !isKeptUrl(set, path)).map((path) => cache.delete(path)));
  return { urls: [...fetchList].filter((url) => isKeptUrl(set, url) && !url.split("/").some((part) => gone.has(part))), stale };
}

// Many pages at once come in one bundle (server/pwa/bundle.py): one request instead of one
// each, and the markup they share compressed once. A few are fetched one by one.
const BUNDLE_URL = "/api/v1/sync/pages";
const BUNDLE_FROM = 5;
const BUNDLE_MAX = 500;

/** One page of a bundle kept, let go or answered as the server said; the reason it could
 * not be made current, or null (as keepPage). */
async function keepLine(cache, line) {
  const keep = line.status === 200 && line.headers?.["X-Handvast-Keep"] !== "no";
  if (keep) await cache.put(line.url, new Response(line.body, { status: 200, headers: line.headers }));
  else if (line.status === 404 || line.headers?.["X-Handvast-Keep"] === "no") await cache.delete(line.url);
  else if (line.status >= 500) return { url: line.url, reason: `${line.url} answered ${line.status} in a bundle` };
  return null;
}

/** The lines of JSON of a streamed answer, as they arrive. */
async function* jsonLines(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    buffer += value ?? "";
    const lines = buffer.split("\n");
    buffer = done ? "" : lines.pop();
    for (const line of lines) if (line) yield JSON.parse(line);
    if (done) return;
  }
}

/** Asks for `urls` in bundles; returns { failures, confirmed } as the one-by-one way does. */
async function keepBundled(cache, urls, csrfToken) {
  const failures = [];
  const confirmed = [];
  let left = [...urls];
  while (left.length) {
    const part = left.slice(0, BUNDLE_MAX);
    const pages = await Promise.all(part.map(async (url) => ({ url, etag: (await cache.match(url))?.headers.get("ETag") ?? undefined })));
    const answered = new Set();
    let more = true;
    try {
      const response = await fetch(BUNDLE_URL, { method: "POST", credentials: "same-origin", cache: "no-store",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken }, body: JSON.stringify({ pages }) });
      if (!response.ok) throw new Error(`${BUNDLE_URL} answered ${response.status}`);
      for await (const line of jsonLines(response)) {
        if (line.end) {
          more = line.more;
          break;
        }
        answered.add(line.url);
        const failure = await keepLine(cache, line);
        if (failure) failures.push(failure);
        else if (await cache.match(line.url)) confirmed.push(line.url);
      }
    } catch (error) {
      const offline = error instanceof TypeError; // no connection, or cut off mid-way
      return { failures: [...failures, ...left.filter((url) => !answered.has(url))
        .map((url) => (offline ? { url, offline } : { url, reason: String(error.message) }))], confirmed };
    }
    left = left.filter((url) => !answered.has(url));
    if (!more || !answered.size) break; // whole (or no progress): what is left stays as it was
  }
  return { failures: [...failures, ...left.map((url) => ({ url, reason: `${url} missing from its bundle` }))], confirmed };
}

/** Fetches `urls` one by one, four at a time; returns { failures, confirmed }. */
async function keepEach(cache, urls) {
  const queue = [...urls];
  const failures = [];
  const confirmed = [];
  const worker = async () => {
    while (queue.length) {
      const url = queue.shift();
      const failure = await keepPage(cache, url);
      if (failure) failures.push(failure);
      else if (await cache.match(url)) confirmed.push(url);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return { failures, confirmed };
}

/** The pages of the working set after pulling `changes`; returns the pages that could not be
 * made current ({ url, offline } or { url, reason }), for sync to say. `freshSet`: ask the
 * server again which pages this user keeps (first round of a page). `csrfToken`: many pages
 * then come in one bundle (a POST); without it one by one. */
export async function keepPages(changes, { freshSet = false, csrfToken = null } = {}) {
  const cache = await caches.open(PAGES);
  const set = await workingSet(cache, freshSet);
  if (set.failure) { // out of reach: what was not confirmed for too long still goes
    await dropStale(cache, await keptAt(cache), []);
    return [set.failure];
  }
  const { urls, stale } = await plan(cache, set, changes, await keptAt(cache));
  const { failures, confirmed } = csrfToken && urls.length >= BUNDLE_FROM
    ? await keepBundled(cache, urls, csrfToken) : await keepEach(cache, urls);
  await dropStale(cache, await keptAt(cache), confirmed);
  if (stale && !failures.length) {
    await store.setMeta("pages_version", set.version);
    await store.setMeta("pages_all_at", Date.now());
  }
  return failures;
}
