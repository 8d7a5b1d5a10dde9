// "Needs your attention": items the server refused, with its reasons; edit and send again,
// or discard after confirming.
import { button, el } from "./dom.js";
import { _ } from "./i18n.js";
import * as store from "./store.js";
import { announce } from "./sync.js";

let fieldLabels = {};

/** The reason, with the field named as the item's own form names it ("contact.place"). */
function reasonText(item, error) {
  const record = (item.mutation?.type ?? "").split(".")[0];
  return `${fieldLabels[`${record}.${error.field}`] ?? fieldLabels[error.field] ?? error.field}: ${_(error.reason)}`;
}

function card(item) {
  const box = el("article", { className: "card" });
  box.dataset.outboxId = item.id;
  const reasons = el("ul", { className: "field-errors" },
    ...(item.errors ?? []).map((error) => el("li", { textContent: reasonText(item, error) })));
  const edit = el("a", { className: "button primary", textContent: _("Edit and send again"),
    href: `${item.page}?resume=${encodeURIComponent(item.id)}` });
  const discard = button(_("Discard"), "button", async () => {
    if (!confirm(_("Discard this item? It cannot be recovered."))) return;
    await store.removeFromOutbox([item.id]);
    announce({ type: "outbox" });
    box.remove();
  });
  box.append(el("h2", { className: "h3", dir: "auto", textContent: item.label || item.mutation.type }),
    reasons, el("div", { className: "actions" }, edit, discard));
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
