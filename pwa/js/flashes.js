// The message after a save ("Contact saved.") when a script posted the form: the page the
// server redirected to was fetched along with the post, and that fetch took the message out
// of the session. It is carried over (sessionStorage, this tab only) to the page then opened.
import { el } from "./dom.js";

const KEY = "handvast:flashes";

/** Keep the messages of a fetched page for the next page this tab opens. */
export function carryFlashes(html) {
  const page = new DOMParser().parseFromString(html, "text/html");
  const messages = [...page.querySelectorAll(".flashes .flash")].map((p) => ({
    category: [...p.classList].find((name) => name.startsWith("flash-"))?.slice(6) ?? "info",
    text: p.textContent,
  }));
  if (messages.length) sessionStorage.setItem(KEY, JSON.stringify(messages));
}

/** Show carried messages where the server shows its own, above <main>. */
export function showCarriedFlashes() {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return;
  sessionStorage.removeItem(KEY);
  let box = document.querySelector(".flashes");
  if (!box) {
    box = el("div", { className: "flashes" });
    box.setAttribute("role", "status");
    document.querySelector("main")?.before(box);
  }
  for (const message of JSON.parse(raw)) {
    box.append(el("p", { className: `flash flash-${message.category}`, textContent: message.text }));
  }
}
