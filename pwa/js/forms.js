// Forms that save with or without signal. On save the form is checked by the rules the
// server declares (data-rules, core/records.py form_rules) and the mutation id is made;
// online, the form posts as usual (errors come back inline); offline, or when the post
// cannot get through, the same mutation goes to the outbox and the page says so at once.
import { el } from "./dom.js";
import { errorSummary, reveal } from "./errors.js";
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

/** Now as Brussels wall time, as a datetime-local input writes it (minutes). */
function brusselsWallNow() {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Brussels",
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .formatToParts(new Date()).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

function localIsoNow() {
  return withBrusselsOffset(new Date(Date.now() - new Date().getTimezoneOffset() * 60000)
    .toISOString().slice(0, 19));
}

// -- checks on the phone: the server's rules and reasons (server/core/validate.py) ----------

const CLOCK_SKEW_MS = 5 * 60_000;

function reasonFor(rule, value) {
  const empty = value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length);
  if (empty) return rule.required ? "required" : null;
  if (rule.max_len && typeof value === "string" && [...value.normalize("NFC")].length > rule.max_len) return "too long";
  if ("low" in rule) {
    if (typeof value !== "number") return "must be a whole number";
    if (value < rule.low || value > rule.high) return "out of range";
  }
  if (rule.pattern && !new RegExp(rule.pattern).test(value)) return rule.mismatch;
  if (rule.past) {
    const at = /[+-]\d\d:\d\d$|Z$/.test(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(at)) return "not a date and time with an offset";
    if (at > Date.now() + CLOCK_SKEW_MS) return "in the future";
    if (new Date(at).getUTCFullYear() < 2000) return "out of range";
  }
  return null;
}

/** What the server would refuse, as [{ field, reason }]: only fields sent are checked. */
export function problems(form, fields) {
  const rules = JSON.parse(form.dataset.rules || "{}");
  return Object.entries(rules).filter(([name]) => name in fields)
    .map(([name, rule]) => ({ field: name, reason: reasonFor(rule, fields[name]) }))
    .filter((problem) => problem.reason);
}

function fieldBox(form, name) {
  const control = form.elements[name];
  const first = control instanceof RadioNodeList ? control[0] : control;
  return first?.closest("fieldset.field, .field") ?? null;
}

function clearProblems(form) {
  form.querySelectorAll(".field-error").forEach((node) => node.remove());
  form.querySelectorAll("[aria-invalid]").forEach((node) => {
    node.removeAttribute("aria-invalid");
    node.removeAttribute("aria-describedby");
  });
  document.querySelectorAll(".error-summary").forEach((node) => node.remove());
}

/** The id a summary link goes to: the field's first control (a picker's search box). */
function anchorFor(form, name) {
  const box = fieldBox(form, name);
  return box?.querySelector("input:not([type=hidden])[id], select[id], textarea[id]")?.id ?? null;
}

/** Inline, as the server shows them: its error summary, focused, each field marked with its
 * reason; a field behind a closed "More details" is shown. */
function showProblems(form, found) {
  clearProblems(form);
  const items = [];
  // In the order of the form, as a reader meets the fields (errors of no field first).
  const place = (problem) => fieldBox(form, problem.field);
  const ordered = [...found].sort((a, b) => {
    const [x, y] = [place(a), place(b)];
    if (!x || !y) return (x ? 1 : 0) - (y ? 1 : 0);
    return x === y ? 0 : x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
  for (const { field, reason } of ordered) {
    const box = field ? fieldBox(form, field) : null;
    if (!box) {
      items.push({ anchor: null, text: _(reason) }); // of no field here (a stale version, say)
      continue;
    }
    items.push({ anchor: anchorFor(form, field), text: `${labelOf(form, field, form.elements[field])}: ${_(reason)}` });
    const target = box.matches("fieldset") ? box : box.querySelector("input, select, textarea");
    target.setAttribute("aria-invalid", "true");
    target.setAttribute("aria-describedby", `${field}-error`);
    box.append(el("p", { className: "field-error", id: `${field}-error`, textContent: _(reason) }));
    reveal(box);
  }
  if (!items.length) return;
  const summary = errorSummary(items);
  form.before(summary);
  summary.focus({ preventScroll: true });
  summary.scrollIntoView({ block: "start" });
}

// -- what the form shows of its values (the person page shows them until synced) ------------

function labelOf(form, name, control) {
  const box = fieldBox(form, name);
  const own = control?.id && form.querySelector(`label[for="${control.id}"]`);
  const text = box?.matches("fieldset") ? box.querySelector("legend")?.textContent : own?.textContent;
  return (text ?? name).replace(/\s*\*\s*$/, "").trim();
}

function shownValue(control) {
  if (control instanceof RadioNodeList || (control?.type === "checkbox")) {
    const inputs = control instanceof RadioNodeList ? [...control] : [control];
    return inputs.filter((input) => input.checked).map((input) => input.closest("label")?.textContent.trim()).join(", ");
  }
  if (control?.tagName === "SELECT") return control.value ? control.selectedOptions[0]?.textContent.trim() : "";
  return control?.value?.trim() ?? "";
}

function shown(form, fields) {
  return Object.keys(fields).map((name) => [labelOf(form, name, form.elements[name]), shownValue(form.elements[name])]);
}

function fieldsOf(form, data) {
  const spec = JSON.parse(form.dataset.spec);
  const fields = Object.fromEntries(Object.entries(spec).map(([name, kind]) => [name, READERS[kind](data, name)]));
  if (!data.has("original")) return fields;
  // Only what the user changed, so an untouched field never overwrites a newer edit.
  const original = JSON.parse(data.get("original") || "{}");
  // A list is a set: the same languages in another order are no change.
  const same = (a, b) => JSON.stringify(Array.isArray(a) ? [...a].sort() : a)
    === JSON.stringify(Array.isArray(b) ? [...b].sort() : b);
  return Object.fromEntries(Object.entries(fields).filter(
    ([name, value]) => !(name in original) || !same(original[name], value)));
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
    shown: shown(form, fields),
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
  // the next one is new (a form that makes records says so: data-new-record); an edit keeps
  // showing what was saved
  const created = item.mutation.type.endsWith(".create") || "newRecord" in form.dataset;
  if (created) {
    form.reset();
    form.elements.record_id.value = "";
    fillNow(form);
  }
  delete form.dataset.replaces;
  if (status) {
    status.replaceChildren(_("Saved on this phone — will sync"));
    status.classList.add("saved");
    if (item.mutation.type === "person.create") {
      status.append(" ", el("a", { href: `/contacts/new?person=${encodeURIComponent(item.mutation.record_id)}`,
        textContent: _("Log a contact with %(name)s", { name: item.label }) }));
    } else if (item.mutation.type === "gathering.create") {
      status.append(" ", el("a", { href: `/gatherings/${encodeURIComponent(item.mutation.record_id)}/count`,
        textContent: _("Count attendance") }));
    }
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
    const data = new FormData(form, event.submitter); // the pressed button's value too (Accept)
    const found = problems(form, fieldsOf(form, data));
    showProblems(form, found);
    if (found.length) return;
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

/** A new contact's time is when the form is opened (the page itself has none: it stays the
 * same bytes, and the phone's copy is never a stale time). */
function fillNow(form) {
  for (const input of form.querySelectorAll("input[data-default-now]")) {
    input.max = brusselsWallNow();
    if (!input.value) input.value = brusselsWallNow();
  }
}

/** A form opened with parameters (?service=<id>) chooses them, also from the phone's copy of
 * the page, which was kept without them; people are chosen by the picker (picker.js). */
function applyParams(form) {
  const params = new URLSearchParams(location.search);
  for (const control of form.querySelectorAll("[data-param]:not([data-person-picker])")) {
    const value = params.get(control.dataset.param);
    if (value && [...(control.options ?? [])].some((option) => option.value === value)) control.value = value;
  }
}

/** "Edit and send again" from the attention page opens the form with what was typed. */
async function resume(form) {
  const id = new URLSearchParams(location.search).get("resume");
  const item = id && (await store.outboxItem(id));
  if (!item || item.state !== "rejected") return;
  // People added by the picker (created on this phone) must be there to be chosen again.
  await Promise.all([...form.querySelectorAll("[data-person-picker]")].map((picker) => picker.pickerReady));
  for (const element of form.elements) {
    if (!element.name || ["csrf_token", "mutation_id"].includes(element.name)) continue;
    const values = item.entries.filter(([name]) => name === element.name).map(([, value]) => value);
    if (element.type === "checkbox" || element.type === "radio") element.checked = values.includes(element.value);
    else if (values.length) element.value = values[0];
  }
  form.dataset.replaces = id;
  form.querySelectorAll("[data-person-picker]").forEach((picker) => picker.dispatchEvent(new Event("change")));
  // What the server refused, marked as it would mark it (opening "More details" if it is there).
  showProblems(form, item.errors ?? []);
}

export function initForms(root) {
  for (const form of root.querySelectorAll("form[data-mutation-form]")) {
    if (form.dataset.mutationReady) continue;
    form.dataset.mutationReady = "1";
    form.addEventListener("submit", (event) => submit(event, form));
    fillNow(form);
    applyParams(form);
    resume(form);
  }
}
