// What the phone remembers for its user between two contacts, in localStorage under the
// user's id (a sign-out clears the site's storage): whether "more details" was open, and the
// last duration and note visibility used. Nothing about people, only how this user works.
//   <details data-remember="KEY">             open or closed as last left
//   <form data-remember-fill>                 a fresh form: last values filled in
//   <form data-remember-values="a b">         the fields a and b remembered when it is saved

const userId = () => document.querySelector("form[data-logout]")?.dataset.userId;
const key = (name) => `handvast:${userId()}:${name}`;

function read(name) {
  try {
    return JSON.parse(localStorage.getItem(key(name)));
  } catch {
    return null;
  }
}

function write(name, value) {
  try {
    localStorage.setItem(key(name), JSON.stringify(value));
  } catch (error) {
    console.error("handvast: a preference was not kept", error); // storage full or blocked
  }
}

function disclosures(root) {
  for (const details of root.querySelectorAll("details[data-remember]")) {
    if (details.dataset.rememberReady) continue;
    details.dataset.rememberReady = "1";
    const name = `open:${details.dataset.remember}`;
    // A form the server opened (a correction, a field needing attention) stays open.
    if (details.closest("form[data-remember-fill]") && !details.open) details.open = read(name) === true;
    details.addEventListener("toggle", () => write(name, details.open));
  }
}

function lastValues(root) {
  for (const form of root.querySelectorAll("form[data-mutation-form]")) {
    if (form.dataset.rememberValuesReady) continue;
    form.dataset.rememberValuesReady = "1";
    const names = (form.dataset.rememberValues ?? "").split(" ").filter(Boolean);
    const fields = names.flatMap((field) => [...form.querySelectorAll(`[name="${field}"]`)]);
    if (!fields.length) continue;
    const name = `last:${form.getAttribute("action")}`;
    if (form.hasAttribute("data-remember-fill") && !new URLSearchParams(location.search).has("resume")) {
      const last = read(name) ?? {};
      for (const field of fields) {
        if (!(field.name in last)) continue;
        if (field.type === "radio") {
          field.checked = field.value === last[field.name];
          // A choice other than the usual one (a private note, say) is never out of sight.
          if (field.checked && !field.defaultChecked) field.closest("details")?.setAttribute("open", "");
        } else field.value = last[field.name];
      }
    }
    form.addEventListener("submit", () => {
      const data = new FormData(form);
      write(name, Object.fromEntries(names.map((field) => [field, data.get(field) ?? ""])));
    }, { capture: true });
  }
}

export function initRemember(root) {
  lastValues(root);
  disclosures(root);
}
