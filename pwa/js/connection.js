// What needs the server itself (a form with no mutation of the sync contract behind it, an
// htmx request, signing out) says so in the app's words when the server cannot be reached,
// and the page stays as it was, with what was typed. The service worker answers such a form
// post with 204 No Content, which leaves the browser on the page, and tells the page.
import { el } from "./dom.js";
import { _ } from "./i18n.js";
import { onAnnouncement } from "./sync.js";

let sent = null; // the form the browser is sending, if any
let ready = false;

/** "Needs a connection", right after `node` (once, however often it is pressed). */
export function needsConnection(node, text = _("This needs a connection. What you typed is still here: try again when there is signal.")) {
  const next = node.nextElementSibling;
  const note = next?.matches("[data-needs-connection]") ? next
    : el("p", { className: "needs-connection" });
  note.dataset.needsConnection = "";
  note.setAttribute("role", "alert");
  note.textContent = text;
  if (note !== next) node.after(note);
  return note;
}

/** Whether the server answers now (not merely navigator.onLine: a phone on a network that
 * goes nowhere is "online"). */
export async function reachable() {
  try {
    await fetch("/api/v1/session", { credentials: "same-origin", cache: "no-store" });
    return true;
  } catch {
    return false;
  }
}

export function initConnection() {
  if (ready) return;
  ready = true;
  // After the form's own handlers: a form they took (the outbox, htmx) is not the browser's.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    sent = event.defaultPrevented ? null : form;
    if (event.defaultPrevented || form.method !== "get") return;
    // A search or filter: the phone's copy of the page has none of it, so it is asked for
    // only when the server can answer.
    event.preventDefault();
    const url = new URL(form.action, location.href);
    url.search = new URLSearchParams(new FormData(form, event.submitter)).toString();
    reachable().then((yes) => (yes ? location.assign(url) : needsConnection(form)));
  });
  onAnnouncement((message) => {
    if (message.type !== "needs-connection" || !sent) return;
    if (new URL(sent.action, location.href).pathname === message.path) needsConnection(sent);
  });
  document.addEventListener("htmx:sendError", (event) => {
    const node = event.detail.elt;
    needsConnection(node.closest("form") ?? node);
  });
}
