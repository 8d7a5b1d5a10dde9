// "With whom" (server/templates/_person_picker.html): type to find a person among those the
// page lists and those the phone knows of — pulled records, and people created on this phone
// that wait in the outbox — so a person added offline can be chosen at once. A few show
// until the user types; chosen people always show. ?person=<id> chooses one on opening,
// also when the page is the phone's copy (which was kept without it).
import { el } from "./dom.js";
import { loadMessages, ngettext } from "./i18n.js";
import * as store from "./store.js";

const SHOWN_UNTYPED = 6; // unless the picker says (data-shown)
const SHOWN_TYPED = 30;

function once(node, key) {
  if (node.dataset[key] === "1") return false;
  node.dataset[key] = "1";
  return true;
}

const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();

/** The person a welcome visit waiting in the outbox makes (server/welcome/operations.py): a
 * welcome with agreement that refers or wishes a buddy, for a household without a person
 * yet; the person takes the visit's id. */
function personOfVisit(item, households) {
  const { fields, record_id: id } = item.mutation;
  const household = households.get(fields.household_id);
  const makes = fields.outcome === "welcomed" && fields.agrees_to_contact
    && (fields.refer_to_service_id || fields.buddy_wish);
  return makes && household?.names && !household.person_id ? { id, name: household.names, waiting: true } : null;
}

/** People the phone knows of: [{ id, name, waiting }], newest outbox entries first. */
async function knownPeople() {
  const all = await (await store.open()).getAll("records");
  const records = all
    .filter((record) => record.type === "person" && record.data?.display_name)
    .map((record) => ({ id: record.id, name: record.data.display_name, waiting: false }));
  const households = new Map(all.filter((record) => record.type === "household").map((record) => [record.id, record.data]));
  const created = (await store.outbox()).map((item) => {
    if (item.mutation.type === "welcome_visit.log") return personOfVisit(item, households);
    const { type, fields, record_id: id } = item.mutation;
    return type === "person.create" && fields.display_name ? { id, name: fields.display_name, waiting: true } : null;
  }).filter(Boolean);
  return [...created.reverse(), ...records];
}

function choice(list, person, type) {
  const input = el("input", { type, name: list.dataset.name, value: person.id });
  const label = el("label", { className: "choice" }, input, " ", el("bdi", { textContent: person.name }));
  if (person.waiting) label.append(" ", el("span", { className: "pending-mark", textContent: list.dataset.waitingText }));
  return label;
}

function show(picker) {
  const filter = picker.querySelector("[data-picker-filter]");
  const list = picker.querySelector("[data-picker-choices]");
  const needle = fold(filter.value.trim());
  const labels = [...list.querySelectorAll("label.choice")];
  const matches = labels.filter((label) => !needle || fold(label.textContent).includes(needle));
  const limit = needle ? SHOWN_TYPED : Number(picker.dataset.shown) || SHOWN_UNTYPED;
  let shown = 0;
  for (const label of labels) {
    const checked = label.querySelector("input").checked;
    const visible = checked || (matches.includes(label) && shown < limit);
    if (visible && !checked) shown += 1;
    label.hidden = !visible;
  }
  const found = picker.querySelector("[data-picker-found]");
  const hidden = matches.filter((label) => label.hidden).length;
  if (needle && !matches.length) found.textContent = list.dataset.emptyText;
  else if (hidden > 0) found.textContent = ngettext("%(num)d more: type a name to find them", "%(num)d more: type a name to find them", hidden);
  else found.textContent = needle ? ngettext("%(num)d found", "%(num)d found", matches.length) : "";
}

/** Add the people the page does not list (the phone's copy may be older than they are). */
async function addKnown(picker) {
  const list = picker.querySelector("[data-picker-choices]");
  const listed = new Set([...list.querySelectorAll("input")].map((input) => input.value));
  const type = picker.dataset.multiple ? "checkbox" : "radio";
  const extra = (await knownPeople()).filter((person) => !listed.has(person.id) && listed.add(person.id));
  if (!extra.length) return;
  list.querySelector("[data-picker-none]")?.remove();
  list.prepend(...extra.filter((person) => person.waiting).map((person) => choice(list, person, type)));
  list.append(...extra.filter((person) => !person.waiting).map((person) => choice(list, person, type)));
}

function chooseFromAddress(picker) {
  const id = new URLSearchParams(location.search).get(picker.dataset.param || "person");
  if (!id) return;
  for (const input of picker.querySelectorAll("[data-picker-choices] input")) {
    if (input.value === id) input.checked = true;
  }
}

async function setUp(picker) {
  const filter = picker.querySelector("[data-picker-filter]");
  for (const node of picker.querySelectorAll("[data-picker-search]")) node.hidden = false;
  picker.dataset.searchable = "1"; // the list stops scrolling (app.css): typing finds the rest
  filter.addEventListener("input", () => show(picker));
  filter.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return; // Enter chooses the first match, never submits
    event.preventDefault();
    const first = [...picker.querySelectorAll("label.choice:not([hidden]) input")].find((input) => !input.checked);
    if (first) {
      first.checked = true;
      filter.value = "";
      show(picker);
      first.focus();
    }
  });
  picker.addEventListener("change", () => show(picker));
  show(picker);
  try {
    await addKnown(picker);
  } catch (error) {
    console.error("handvast: people on this phone not listed", error);
  }
  chooseFromAddress(picker);
  show(picker);
  // The hint is the script's own text: shown again in the page's language once the catalog
  // is in (the picker works before it is; pickerReady does not wait for it).
  loadMessages().then(() => show(picker));
}

export function initPickers(root) {
  for (const picker of root.querySelectorAll("[data-person-picker]")) {
    if (!once(picker, "pickerReady")) continue;
    picker.pickerReady = setUp(picker); // forms.js waits for it to resume a saved form
  }
}
