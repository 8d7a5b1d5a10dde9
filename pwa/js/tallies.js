// One-tap counters (data-tally-record): each tap is its own increment mutation in the outbox
// (shared/SYNC.md: increments commute, so taps on two phones add up). The number shown is the
// server's tally, as the page or the last pull has it, plus the taps not yet synced: also after
// a reload without signal. Language chips (data-heard-form) queue the same way.
import { _, ngettext } from "./i18n.js";
import * as store from "./store.js";
import { announce, APPLIED_INCREMENTS, onAnnouncement, syncNow } from "./sync.js";

const SYNC_AFTER_MS = 1500; // a burst of taps goes in one round
let timer = null;
let chain = Promise.resolve();
let listening = false;

function syncSoon() {
  clearTimeout(timer);
  timer = setTimeout(() => {
    navigator.serviceWorker?.ready.then((reg) => reg.sync?.register("outbox"))
      .catch((error) => console.error("handvast: Background Sync not registered", error));
    syncNow();
  }, SYNC_AFTER_MS);
}

/** Put one mutation in the outbox, as a form saved on the phone does (pwa/js/forms.js). */
export async function queue(type, recordId, fields, label) {
  const me = store.currentOwner() ?? (await store.getMeta("user_id"));
  const id = crypto.randomUUID();
  const seq = await store.nextSeq();
  const recordedAt = new Date().toISOString();
  await store.addToOutbox({
    id, seq, state: "waiting", user_id: me ?? null, label, page: location.pathname, entries: [],
    saved_at: recordedAt,
    mutation: { id, seq, type, record_id: recordId, base_version: null, recorded_at: recordedAt, fields },
  });
  announce({ type: "outbox", id });
  syncSoon();
}

/** One after the other, in the order tapped; an error is reported, never swallowed. */
export function inTurn(step) {
  chain = chain.then(step).catch((error) => console.error("handvast: not saved on this phone", error));
  return chain;
}

/** The newest tally this phone has of the record: the page's or the last pull's, and the
 * increments applied since that version which no pull has brought yet. */
async function base(root) {
  const type = root.dataset.tallyRecord;
  const kept = await store.record(type, root.dataset.recordId);
  const pageVersion = Number(root.dataset.version || 0);
  let known;
  if (kept && kept.version >= pageVersion) {
    known = { tallies: { ...kept.data.tallies }, heard: kept.data.languages_heard ?? [], version: kept.version };
  } else {
    const tallies = {};
    for (const section of root.querySelectorAll("[data-counter]")) {
      tallies[section.dataset.counter] = Number(section.dataset.serverTotal || 0);
    }
    known = { tallies, heard: JSON.parse(root.dataset.heard || "[]"), version: pageVersion };
  }
  for (const m of (await store.getMeta(APPLIED_INCREMENTS)) ?? []) {
    if (m.type === `${type}.increment` && m.record_id === root.dataset.recordId && m.version > known.version) {
      known.tallies[m.fields.counter] = (known.tallies[m.fields.counter] ?? 0) + m.fields.delta;
    }
  }
  return known;
}

/** Show the server's tally plus this phone's waiting taps, and the languages heard. */
export async function render(root) {
  const id = root.dataset.recordId;
  if (!id) return;
  const type = root.dataset.tallyRecord;
  const { tallies, heard } = await base(root);
  const pending = {};
  const heardNow = new Set(heard);
  let taps = 0;
  for (const { state, mutation } of await store.outbox()) {
    if (state !== "waiting" || mutation.record_id !== id) continue;
    if (mutation.type === `${type}.increment`) {
      pending[mutation.fields.counter] = (pending[mutation.fields.counter] ?? 0) + mutation.fields.delta;
      taps += 1;
    } else if (mutation.type === `${type}.hear`) {
      if (mutation.fields.heard === false) heardNow.delete(mutation.fields.language);
      else heardNow.add(mutation.fields.language);
    }
  }
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  let total = 0;
  for (const section of root.querySelectorAll("[data-counter]")) {
    const value = (tallies[section.dataset.counter] ?? 0) + (pending[section.dataset.counter] ?? 0);
    total += value;
    section.querySelector("[data-tally-value]").textContent = number.format(value);
    section.dataset.value = String(value);
    const minus = section.querySelector(".tap-minus");
    if (minus) minus.disabled = value <= 0;
  }
  const totalField = root.querySelector("[data-tally-total]");
  if (totalField) totalField.textContent = number.format(total);
  const note = root.querySelector("[data-tally-pending]");
  if (note) note.textContent = taps ? ngettext("%(num)d tap not yet synced", "%(num)d taps not yet synced", taps) : "";
  for (const chip of root.querySelectorAll("[data-language]")) {
    const on = heardNow.has(chip.dataset.language);
    chip.setAttribute("aria-pressed", String(on));
    chip.form.elements.heard.value = on ? "false" : "true";
  }
}

function counterLabel(form) {
  return form.closest("[data-counter]")?.querySelector(".counter-label")?.textContent.trim() ?? "";
}

function hook(root) {
  for (const form of root.querySelectorAll("form[data-tally-form]")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const counter = form.elements.counter.value;
      const delta = Number(form.elements.delta.value);
      const label = `${counterLabel(form)} ${delta > 0 ? "+1" : "−1"} · ${root.dataset.label ?? ""}`;
      inTurn(async () => {
        if (!root.dataset.recordId) return;
        await queue(`${root.dataset.tallyRecord}.increment`, root.dataset.recordId, { counter, delta }, label);
        await render(root);
      });
    });
  }
  for (const form of root.querySelectorAll("form[data-heard-form]")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const fields = { language: form.elements.language.value, heard: form.elements.heard.value === "true" };
      const chip = form.querySelector("[data-language]");
      chip.setAttribute("aria-pressed", String(fields.heard));
      const heading = _("Languages heard");
      inTurn(async () => {
        await queue(`${root.dataset.tallyRecord}.hear`, root.dataset.recordId, fields,
          `${heading}: ${chip.textContent.trim()} · ${root.dataset.label ?? ""}`);
        await render(root);
      });
    });
  }
}

/** The counting page of a gathering planned on this phone and not synced yet (the phone shows
 * it for /gatherings/<id>/count, pwa/sw.js): the gathering is taken from the outbox. */
async function adoptPlanned(page) {
  const id = location.pathname.match(/^\/gatherings\/([0-9a-f-]{36})\/count$/)?.[1];
  const item = id && (await store.outbox()).find(
    (waiting) => waiting.mutation.type === "gathering.create" && waiting.mutation.record_id === id);
  if (!item) {
    page.querySelector("[data-tally-synced]").hidden = false;
    return;
  }
  const { fields } = item.mutation;
  const title = fields.title || JSON.parse(page.dataset.kindLabels || "{}")[fields.kind] || page.dataset.label;
  page.dataset.recordId = id;
  page.dataset.label = title;
  page.querySelector("[data-tally-title]").textContent = title;
  const when = Date.parse(fields.starts_at);
  const format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
    timeZone: "Europe/Brussels" });
  page.querySelector("[data-tally-when]").textContent = [Number.isNaN(when) ? "" : format.format(when), fields.place]
    .filter(Boolean).join(" · ");
  page.querySelector("[data-tally-body]").hidden = false;
}

export function initTallies(root) {
  for (const page of root.querySelectorAll("[data-tally-record]")) {
    if (page.dataset.tallyReady) continue;
    page.dataset.tallyReady = "1";
    hook(page);
    if ("plannedOnPhone" in page.dataset) inTurn(() => adoptPlanned(page));
    inTurn(() => render(page));
  }
  if (!listening) {
    listening = true;
    onAnnouncement(() => {
      for (const page of document.querySelectorAll("[data-tally-record]")) inTurn(() => render(page));
    });
  }
}
