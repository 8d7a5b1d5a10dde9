// What the phone holds, shown on every page: a badge of waiting items, the last sync, the
// items not yet synced inside their lists; and when to sync: on open, on reconnect, on
// becoming visible, on a timer that backs off while the server cannot be reached.
import { el } from "./dom.js";
import { _, ngettext } from "./i18n.js";
import * as store from "./store.js";
import { onAnnouncement, syncNow } from "./sync.js";

const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 15 * 60_000;
let delay = BASE_DELAY_MS;
let timer = null;
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
  for (const list of root.querySelectorAll("[data-offline-list]")) {
    list.querySelectorAll(".pending").forEach((row) => row.remove());
    const belongs = LISTS[list.dataset.offlineList];
    const mine = items.filter((item) => belongs?.(item, list));
    list.prepend(...mine.reverse().map(pendingRow));
    list.closest("section, main")?.querySelector("[data-empty-for-offline]")
      ?.toggleAttribute("hidden", mine.length > 0);
  }
}

async function showStatus() {
  const items = await store.outbox();
  const waitingCount = items.filter((item) => item.state === "waiting").length;
  const rejectedCount = items.length - waitingCount;
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
  await Promise.all([showPending(), showStatus()]);
}

async function syncAndSchedule() {
  clearTimeout(timer);
  const outcome = await syncNow(); // never rejects: a failed round is an outcome
  delay = outcome.state === "synced" ? BASE_DELAY_MS : Math.min(delay * 2, MAX_DELAY_MS);
  timer = setTimeout(syncAndSchedule, delay);
  return outcome;
}

function syncButtons(root) {
  for (const button of root.querySelectorAll("[data-sync-now]")) {
    if (button.dataset.syncReady) continue;
    button.dataset.syncReady = "1";
    button.hidden = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      await syncAndSchedule();
      button.disabled = false;
      button.removeAttribute("aria-busy");
    });
  }
}

export function initStatus(root) {
  syncButtons(root);
  showPending(root);
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
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") syncAndSchedule();
  });
  refresh();
  syncAndSchedule();
}
