// What the phone holds, shown on every page: a badge of waiting items and one of open
// conflicts, "offline" while the server cannot be reached, the last sync, the items not yet
// synced inside their lists; and when to sync: on open (unless a round just ran), on
// reconnect, on becoming visible, on a timer that backs off while the server cannot be
// reached and while nothing changes (an open, untouched page costs a few KB an hour).
import { el } from "./dom.js";
import { _, ngettext } from "./i18n.js";
import * as store from "./store.js";
import { onAnnouncement, syncNow } from "./sync.js";

// Tests and benchmarks run the clock faster (an idle hour in a minute) with this global.
const SCALE = globalThis.HANDVAST_TIME_SCALE ?? 1;
const BASE_DELAY_MS = 30_000 / SCALE;
const MAX_DELAY_MS = 15 * 60_000 / SCALE;
const IDLE_MAX_DELAY_MS = 10 * 60_000 / SCALE; // nothing changed: wait longer, up to this
let delay = BASE_DELAY_MS;
let timer = null;
let running = Promise.resolve(); // the round under way
let stopped = false;
let lastOutcome = null;

// Which waiting mutations belong in which list (data-offline-list on the page).
const LISTS = {
  contact: (item) => item.mutation.type.startsWith("contact."),
  person: (item) => item.mutation.type.startsWith("person."),
  referral: (item) => item.mutation.type.startsWith("referral."),
  gathering: (item) => item.mutation.type === "gathering.create",
  signal: (item) => item.mutation.type === "signal.create",
  topic: (item, list) => item.mutation.type.endsWith(".topic") && item.mutation.record_id === list.dataset.recordId,
  welcome: (item) => item.mutation.type.startsWith("welcome_visit."),
  timeline: (item, list) => item.mutation.type.startsWith("contact.")
    && (item.mutation.fields.person_ids ?? []).includes(list.dataset.personId),
};

function pendingRow(item) {
  const when = new Date(item.saved_at).toLocaleString(document.documentElement.lang,
    { dateStyle: "short", timeStyle: "short", timeZone: "Europe/Brussels" });
  const mark = item.state === "rejected"
    ? el("a", { className: "pending-mark", href: "/attention", textContent: _("Needs your attention") })
    : el("span", { className: "pending-mark", textContent: _("Not yet synced") });
  const row = el("li", { className: "list-row pending" },
    el("span", { className: "when", textContent: when }), " ",
    el("bdi", { textContent: item.label }), " ", mark);
  row.dataset.outboxId = item.id;
  return row;
}

async function showPending(root = document) {
  const items = await store.outbox();
  showPendingPerson(items, root);
  for (const list of root.querySelectorAll("[data-offline-list]")) {
    list.querySelectorAll(".pending").forEach((row) => row.remove());
    const belongs = LISTS[list.dataset.offlineList];
    const mine = items.filter((item) => belongs?.(item, list));
    list.prepend(...mine.reverse().map(pendingRow));
    list.closest("section, main")?.querySelector("[data-empty-for-offline]")
      ?.toggleAttribute("hidden", mine.length > 0);
  }
}

/** A person's changes saved on this phone show on their page until synced. */
function showPendingPerson(items, root) {
  for (const box of root.querySelectorAll("[data-pending-person]")) {
    const mine = items.filter((item) => item.mutation.type.startsWith("person.")
      && item.mutation.record_id === box.dataset.pendingPerson && item.shown);
    const rows = mine.flatMap((item) => item.shown.flatMap(([label, text]) => [
      el("dt", { textContent: label }), el("dd", { dir: "auto", textContent: text || "—" })]));
    box.querySelector("[data-pending-values]").replaceChildren(...rows);
    box.hidden = !mine.length;
  }
}

async function showStatus() {
  const items = await store.outbox();
  const waitingCount = items.filter((item) => item.state === "waiting").length;
  const rejectedCount = items.length - waitingCount;
  const unreachable = !navigator.onLine || ["offline", "retry"].includes(lastOutcome?.state);
  for (const mark of document.querySelectorAll("[data-connection]")) mark.hidden = !unreachable;
  const conflicts = (await store.getMeta("open_conflicts")) ?? 0;
  for (const badge of document.querySelectorAll("[data-conflict-badge]")) {
    badge.hidden = !conflicts;
    badge.textContent = ngettext("%(num)d conflict", "%(num)d conflicts", conflicts);
  }
  for (const badge of document.querySelectorAll("[data-sync-status]")) {
    const failed = lastOutcome?.state === "error";
    badge.hidden = !items.length && lastOutcome?.state !== "signed-out" && !failed;
    const parts = [];
    if (failed) parts.push(_("Sync failed"));
    if (lastOutcome?.state === "signed-out" && waitingCount) parts.push(_("Sign in to sync"));
    else if (waitingCount) parts.push(ngettext("%(num)d waiting", "%(num)d waiting", waitingCount));
    if (rejectedCount) parts.push(ngettext("%(num)d needs attention", "%(num)d need attention", rejectedCount));
    badge.textContent = parts.join(" · ");
  }
  const last = await store.getMeta("last_synced");
  for (const field of document.querySelectorAll("[data-last-synced]")) {
    field.textContent = last
      ? new Date(last).toLocaleString(document.documentElement.lang,
        { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Brussels" })
      : _("Not yet");
  }
  for (const field of document.querySelectorAll("[data-sync-outcome]")) {
    field.textContent = {
      offline: _("No connection: what you saved waits on this phone."),
      "signed-out": _("Your session has ended. Sign in again and syncing goes on."),
      retry: _("The server could not be reached. Trying again soon."),
      error: _("Syncing failed (%(reason)s). What you saved waits on this phone; trying again soon.",
        { reason: lastOutcome?.reason }),
      synced: "",
    }[lastOutcome?.state] ?? "";
  }
}

export async function refresh() {
  if (stopped) return; // signing out: the phone's storage is going
  await Promise.all([showPending(), showStatus()]);
}

function nextDelay(outcome) {
  if (outcome.state !== "synced") return Math.min(delay * 2, MAX_DELAY_MS);
  if (outcome.changed || outcome.sent || outcome.rejected) return BASE_DELAY_MS;
  return Math.min(delay * 2, IDLE_MAX_DELAY_MS);
}

/** A round now, then the next on the timer; `options`: syncNow's (a timer round is idle). */
async function syncAndSchedule(options = { idle: true }) {
  clearTimeout(timer);
  if (stopped) return { state: "stopped" };
  running = syncNow(options); // never rejects: a failed round is an outcome
  const outcome = await running;
  if (stopped) return outcome;
  delay = nextDelay(outcome);
  timer = setTimeout(syncAndSchedule, delay);
  return outcome;
}

/** Signing out: no round starts any more, and the one under way ends before the phone's
 * storage is wiped (a round cut off by the wipe would fail in the middle of a write). */
export async function stopSyncing() {
  stopped = true;
  clearTimeout(timer);
  await running;
}

/** A page opened: a round, asking again which pages this user keeps; none when a round just
 * completed and nothing waits (going from page to page costs no sync traffic). */
async function firstRound() {
  const last = Date.parse((await store.getMeta("last_synced")) ?? "") || 0;
  const since = Date.now() - last;
  const fromPhone = await store.getMeta("page_from_phone");
  if (fromPhone) {
    lastOutcome ??= { state: "offline" }; // shown at once; the round below confirms
    refresh();
  }
  const ended = await store.getMeta("session_ended"); // perhaps signed in again since
  if (since >= 0 && since < BASE_DELAY_MS && !fromPhone && !ended && !(await store.waiting()).length) {
    lastOutcome ??= { state: "synced" };
    document.documentElement.dataset.syncState = "synced";
    refresh();
    timer = setTimeout(syncAndSchedule, BASE_DELAY_MS - since);
    return;
  }
  syncAndSchedule({ freshSet: true });
}

function syncButtons(root) {
  for (const button of root.querySelectorAll("[data-sync-now]")) {
    if (button.dataset.syncReady) continue;
    button.dataset.syncReady = "1";
    button.hidden = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      await syncAndSchedule({ freshSet: true });
      button.disabled = false;
      button.removeAttribute("aria-busy");
    });
  }
}

/** The conflicts page, fresh from the server, says how many are open (one was just resolved). */
async function countConflicts(root) {
  const count = root.querySelector("[data-open-conflicts]")?.dataset.openConflicts;
  if (count === undefined || (await store.getMeta("page_from_phone"))) return;
  await store.setMeta("open_conflicts", Number(count));
  showStatus();
}

export function initStatus(root) {
  syncButtons(root);
  showPending(root);
  countConflicts(root);
}

export function startSyncing() {
  onAnnouncement((message) => {
    if (message.type === "synced") {
      lastOutcome = message;
      document.documentElement.dataset.syncState = message.state; // styles and tests read it
    }
    refresh();
  });
  window.addEventListener("online", () => { delay = BASE_DELAY_MS; syncAndSchedule(); });
  window.addEventListener("offline", () => refresh());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") syncAndSchedule();
  });
  refresh();
  firstRound();
}
