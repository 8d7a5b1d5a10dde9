// The pages of the working set kept on the phone (Cache Storage): which ones, which responses
// may be kept, and how a copy is made current. Used by sync (pwa/js/sync.js) and the worker.

// Pages kept on the phone; the name changes when what a page may hold changes (2: no
// private or sensitive note text), and the worker deletes the older copies on activate.
export const PAGES = "handvast-pages-2";

/** Pages without case data, kept through a sign-out of the session: the offline page and texts. */
export const OPEN_PAGES = ["/offline", "/i18n/messages.json"];

/** Lists and forms every field user needs; record pages are added as they arrive. */
const ALWAYS = ["/", "/people/", "/people/new", "/contacts/new", "/contacts/follow-ups",
  "/referrals/", "/referrals/new", "/services/", "/more", "/conflicts", "/attention", "/offline",
  "/i18n/messages.json", "/buddies/", "/gatherings/", "/gatherings/new", "/outreach/", "/outreach/round",
  "/signals/", "/signals/new", "/welcome/", "/welcome/pack"];
const RECENT_MS = 60 * 24 * 3600 * 1000; // older contacts are read on the server
const PAGE_OF = {
  person: (id) => [`/people/${id}`, `/people/${id}/edit`],
  contact: (id) => [`/contacts/${id}`],
  referral: (id) => [`/referrals/${id}`],
  service: (id) => [`/services/${id}`],
  buddy_pair: (id) => [`/buddies/pairs/${id}`, `/buddies/pairs/${id}/plan`],
  buddy_session: (id) => [`/buddies/sessions/${id}`],
  gathering: (id) => [`/gatherings/${id}`, `/gatherings/${id}/count`, `/gatherings/${id}/invitation`],
  outreach_round: (id) => [`/outreach/${id}`],
  signal: (id) => [`/signals/${id}`],
  household: (id) => [`/welcome/households/${id}`, `/welcome/households/${id}/visit`],
};
// Of gatherings and rounds, the coming and recent ones (older ones are read on the server).
const RECENT_OF = { gathering: "starts_at", outreach_round: "started_at" };
const worthKeeping = (change) => {
  if (RECENT_OF[change.type]) return Date.now() - Date.parse(change.data[RECENT_OF[change.type]]) < RECENT_MS;
  return change.type !== "contact"
    || Date.now() - Date.parse(change.data.occurred_at) < RECENT_MS
    || (change.data.follow_up_on && !change.data.follow_up_done);
};

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
    response = await fetch(url, { credentials: "same-origin", headers: etag ? { "If-None-Match": etag } : {} });
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
// goes, whether it left the working set or the phone could not reach the server for it. Pages
// not confirmed for a day are revalidated in the next round; the stamps live beside them.
const STALE_MS = 14 * 24 * 3600 * 1000;
const RECHECK_MS = 24 * 3600 * 1000;
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
    if (path === KEPT_AT || OPEN_PAGES.includes(path)) continue;
    const at = stamps[path] ?? now; // kept by the worker while browsing: counted from now
    if (now - at > STALE_MS) gone.push(request);
    else kept[path] = at;
  }
  await Promise.all(gone.map((request) => cache.delete(request)));
  await cache.put(KEPT_AT, new Response(JSON.stringify(kept), { headers: { "Content-Type": "application/json" } }));
}

/** The pages of the working set after pulling `changes`, four at a time; returns the pages
 * that could not be made current ({ url, offline } or { url, reason }), for sync to say. */
export async function keepPages(changes) {
  const cache = await caches.open(PAGES);
  const stamps = await keptAt(cache);
  const fetchList = new Set(ALWAYS);
  for (const [url, at] of Object.entries(stamps)) if (Date.now() - at > RECHECK_MS) fetchList.add(url);
  for (const change of changes) {
    const urls = PAGE_OF[change.type]?.(change.id) ?? [];
    if (change.deleted || !worthKeeping(change)) await Promise.all(urls.map((url) => cache.delete(url)));
    else urls.forEach((url) => fetchList.add(url));
    // A contact's people show it on their timeline: their pages change with it.
    for (const personId of change.data?.person_ids ?? []) fetchList.add(`/people/${personId}`);
  }
  const queue = [...fetchList];
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
  await dropStale(cache, stamps, confirmed);
  return failures;
}
