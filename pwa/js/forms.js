// Forms that save with or without signal. On save the mutation id is made; online, the form
// posts as usual (errors come back inline); offline, or when the post cannot get through,
// the same mutation goes to the outbox and the page says so at once.
import { carryFlashes } from "./flashes.js";
import { _ } from "./i18n.js";
import * as store from "./store.js";
import { announce, syncNow } from "./sync.js";

const POST_TIMEOUT_MS = 8000;

/** A typed whole number as server/core/validate.py reads it: ASCII, Arabic-Indic (٠-٩) or
 * Persian (۰-۹) digits, at most 9; else null ("²", "1e3", "-0" go as typed, refused with a reason). */
export function wholeNumber(text) {
  if (!/^[0-9\u0660-\u0669\u06F0-\u06F9]{1,9}$/.test(text)) return null;
  return Number([...text].map((ch) => ch.codePointAt(0) % 16).join(""));
}

// Form values to mutation fields, kind by kind, as server/formdata.py reads them.
const READERS = {
  text: (data, name) => (data.get(name) ?? "").trim() || null,
  id: (data, name) => (data.get(name) ?? "").trim() || null,
  date: (data, name) => (data.get(name) ?? "").trim() || null,
  int: (data, name) => {
    const value = (data.get(name) ?? "").trim();
    return !value ? null : wholeNumber(value) ?? value;
  },
  datetime: (data, name) => withBrusselsOffset((data.get(name) ?? "").trim()),
  list: (data, name) => data.getAll(name).filter(Boolean),
  bool: (data, name) => ["on", "true", "1"].includes(data.get(name)),
};

function offsetAt(instant) {
  const part = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Brussels", timeZoneName: "longOffset" })
    .formatToParts(instant).find((p) => p.type === "timeZoneName").value;
  return part === "GMT" ? "+00:00" : part.slice(3);
}

/** A datetime-local value is Brussels wall time; the contract wants the offset written. */
export function withBrusselsOffset(value) {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(value)) return value || null;
  const wall = value.length === 16 ? `${value}:00` : value;
  const asUtc = new Date(`${wall}Z`);
  const first = offsetAt(asUtc);
  const [sign, hours, minutes] = [first[0], Number(first.slice(1, 3)), Number(first.slice(4))];
  const shift = (sign === "-" ? -1 : 1) * (hours * 60 + minutes) * 60000;
  return wall + offsetAt(new Date(asUtc.getTime() - shift));
}

function localIsoNow() {
  return withBrusselsOffset(new Date(Date.now() - new Date().getTimezoneOffset() * 60000)
    .toISOString().slice(0, 19));
}

function fieldsOf(form, data) {
  const spec = JSON.parse(form.dataset.spec);
  const fields = Object.fromEntries(Object.entries(spec).map(([name, kind]) => [name, READERS[kind](data, name)]));
  if (!data.has("original")) return fields;
  // Only what the user changed, so an untouched field never overwrites a newer edit.
  const original = JSON.parse(data.get("original") || "{}");
  return Object.fromEntries(Object.entries(fields).filter(
    ([name, value]) => !(name in original) || JSON.stringify(original[name]) !== JSON.stringify(value)));
}

/** What lists show of a waiting item: the name, or the note, or the form's title. */
function summary(form, fields) {
  const text = fields.display_name || fields.note || document.querySelector("h1")?.textContent || "";
  return text.trim().slice(0, 120);
}

async function saveOnPhone(form, data) {
  const base = data.get("base_version");
  const me = store.currentOwner() ?? (await store.getMeta("user_id"));
  const fields = fieldsOf(form, data);
  const item = {
    id: data.get("mutation_id"),
    seq: await store.nextSeq(),
    state: "waiting",
    user_id: me ?? null,
    label: summary(form, fields),
    page: location.pathname,
    entries: [...data.entries()].filter(([name]) => !["csrf_token", "mutation_id"].includes(name)),
    saved_at: new Date().toISOString(),
    mutation: {
      id: data.get("mutation_id"),
      type: data.get("mutation_type"),
      record_id: data.get("record_id"),
      base_version: base ? wholeNumber(base.trim()) ?? base : null,
      recorded_at: localIsoNow(),
      fields,
    },
  };
  item.mutation.seq = item.seq;
  await store.addToOutbox(item);
  if (form.dataset.replaces) await store.removeFromOutbox([form.dataset.replaces]);
  return item;
}

async function post(form, data) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), POST_TIMEOUT_MS);
  try {
    return await fetch(form.action, { method: "POST", body: data, signal: controller.signal,
      credentials: "same-origin", headers: { "X-CSRFToken": data.get("csrf_token") } });
  } catch {
    return null; // no connection, or too slow: the outbox takes it
  } finally {
    clearTimeout(timer);
  }
}

/** Show the server's answer: a redirect is a new page (with the message the fetch took); a
 * form with errors replaces <main>, and focus goes to its error summary. */
function show(response, html) {
  if (response.redirected) {
    carryFlashes(html);
    location.assign(response.url);
    return;
  }
  const next = new DOMParser().parseFromString(html, "text/html");
  document.title = next.title;
  const main = document.querySelector("main");
  main.replaceWith(next.querySelector("main"));
  const fresh = document.querySelector("main");
  document.dispatchEvent(new CustomEvent("handvast:content", { detail: fresh }));
  const target = fresh.querySelector("[data-error-summary], [role=alert], [aria-invalid=true]") || fresh;
  target.focus();
  target.scrollIntoView({ block: "start" });
}

function tellSaved(form, item) {
  const status = form.querySelector("[data-save-status]") ?? document.querySelector("[data-save-status]");
  form.reset();
  // the next one is new (a form that makes records says so: data-new-record)
  if (item.mutation.type.endsWith(".create") || "newRecord" in form.dataset) form.elements.record_id.value = "";
  delete form.dataset.replaces;
  if (status) {
    status.textContent = _("Saved on this phone — will sync");
    status.classList.add("saved");
  }
  announce({ type: "outbox", id: item.id });
  navigator.serviceWorker?.ready.then((reg) => reg.sync?.register("outbox"))
    .catch((error) => console.error("handvast: Background Sync not registered", error));
  syncNow(); // never rejects: the outcome is announced
}

async function submit(event, form) {
  event.preventDefault();
  if (form.dataset.busy === "1") return;
  form.dataset.busy = "1";
  try {
    form.elements.mutation_id.value = crypto.randomUUID();
    if (!form.elements.record_id.value) form.elements.record_id.value = crypto.randomUUID();
    const data = new FormData(form);
    if (navigator.onLine) {
      const response = await post(form, data);
      const signedOut = response?.redirected && new URL(response.url).pathname === "/login";
      // 400: a page kept on the phone with an old token; it syncs with a fresh one.
      if (response && !signedOut && response.status !== 400 && response.status < 500) {
        if (form.dataset.replaces && response.redirected) await store.removeFromOutbox([form.dataset.replaces]);
        show(response, await response.text());
        return;
      }
    }
    tellSaved(form, await saveOnPhone(form, data));
  } finally {
    delete form.dataset.busy;
  }
}

/** "Edit and send again" from the attention page opens the form with what was typed. */
async function resume(form) {
  const id = new URLSearchParams(location.search).get("resume");
  const item = id && (await store.outboxItem(id));
  if (!item || item.state !== "rejected") return;
  for (const element of form.elements) {
    if (!element.name || ["csrf_token", "mutation_id"].includes(element.name)) continue;
    const values = item.entries.filter(([name]) => name === element.name).map(([, value]) => value);
    if (element.type === "checkbox" || element.type === "radio") element.checked = values.includes(element.value);
    else if (values.length) element.value = values[0];
  }
  form.dataset.replaces = id;
}

export function initForms(root) {
  for (const form of root.querySelectorAll("form[data-mutation-form]")) {
    if (form.dataset.mutationReady) continue;
    form.dataset.mutationReady = "1";
    form.addEventListener("submit", (event) => submit(event, form));
    resume(form);
  }
}
