// The error summary (GOV.UK): one component whether the server found the problems
// (server/templates/_forms.html error_summary) or the phone's own check did (forms.js).
// A link goes to its field: a field behind a closed <details> ("More details") is shown
// first, then focused, its label or legend scrolled into view with it.
import { el } from "./dom.js";
import { _ } from "./i18n.js";

/** <div data-error-summary> as the server renders it: a heading, one link per field. */
export function errorSummary(items) {
  const heading = el("h2", { id: "error-summary-title", textContent: _("There is a problem") });
  const list = el("ul", {}, ...items.map(({ anchor, text }) => el("li", {},
    anchor ? el("a", { href: `#${anchor}`, textContent: text }) : text)));
  const summary = el("div", { className: "error-summary", tabIndex: -1 }, heading, list);
  summary.setAttribute("role", "alert");
  summary.setAttribute("aria-labelledby", heading.id);
  summary.dataset.errorSummary = "";
  return summary;
}

/** Open every closed <details> around a node, so that what it holds can be seen. */
export function reveal(node) {
  for (let details = node?.closest("details"); details; details = details.parentElement?.closest("details")) {
    details.open = true;
  }
}

function goTo(event) {
  const link = event.target.closest?.("[data-error-summary] a[href^='#']");
  const target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!target) return;
  event.preventDefault();
  reveal(target);
  const caption = target.closest("fieldset")?.querySelector("legend")
    ?? (target.id && document.querySelector(`label[for="${CSS.escape(target.id)}"]`));
  target.focus({ preventScroll: true });
  (caption || target).scrollIntoView({ block: "start" });
}

let ready = false;

export function initErrorSummaries() {
  if (ready) return;
  ready = true;
  document.addEventListener("click", goTo);
}
