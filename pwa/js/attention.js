// "Needs your attention": items the server refused, with its reasons; edit and send again,
// or discard after confirming.
import { _ } from "./i18n.js";
import * as store from "./store.js";
import { announce } from "./sync.js";

let fieldLabels = {};

function reasonText(error) {
  return `${fieldLabels[error.field] ?? error.field}: ${_(error.reason)}`;
}

function card(item) {
  const box = document.createElement("article");
  box.className = "card";
  box.dataset.outboxId = item.id;
  const title = document.createElement("h2");
  title.className = "h3";
  title.dir = "auto";
  title.textContent = item.label || item.mutation.type;
  const reasons = document.createElement("ul");
  reasons.className = "field-errors";
  for (const error of item.errors ?? []) {
    const line = document.createElement("li");
    line.textContent = reasonText(error);
    reasons.append(line);
  }
  const edit = document.createElement("a");
  edit.className = "button primary";
  edit.href = `${item.page}?resume=${encodeURIComponent(item.id)}`;
  edit.textContent = _("Edit and send again");
  const discard = document.createElement("button");
  discard.type = "button";
  discard.className = "button";
  discard.textContent = _("Discard");
  discard.addEventListener("click", async () => {
    if (!confirm(_("Discard this item? It cannot be recovered."))) return;
    await store.removeFromOutbox([item.id]);
    announce({ type: "outbox" });
    box.remove();
  });
  const actions = document.createElement("div");
  actions.className = "actions";
  actions.append(edit, discard);
  box.append(title, reasons, actions);
  return box;
}

export async function initAttention(root) {
  const list = root.querySelector("[data-attention-list]");
  if (!list) return;
  fieldLabels = JSON.parse(list.dataset.fieldLabels || "{}");
  const rejected = (await store.outbox()).filter((item) => item.state === "rejected");
  if (!rejected.length) return;
  list.replaceChildren(...rejected.map(card));
}
