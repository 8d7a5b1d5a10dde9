// Texts of scripts from the same catalogs as the pages (GET /i18n/messages.json, kept by the
// service worker for offline use). Placeholders are Python's: %(name)s, %(num)d.
let catalog = { language: document.documentElement.lang || "en", messages: {}, plurals: {} };
let loading = null;

export function loadMessages() {
  loading ??= fetch("/i18n/messages.json", { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : null))
    .then((body) => { if (body) catalog = body; })
    .catch(() => {});
  return loading;
}

export function format(text, values = {}) {
  return text.replace(/%\((\w+)\)[sd]/g, (match, name) => (name in values ? String(values[name]) : match));
}

export function _(text, values) {
  return format(catalog.messages[text] || text, values);
}

export function ngettext(singular, plural, num, values = {}) {
  const forms = catalog.plurals[singular];
  const category = new Intl.PluralRules(catalog.language).select(num);
  const text = forms ? forms[category] ?? forms.other : num === 1 ? singular : plural;
  return format(text, { num, ...values });
}
