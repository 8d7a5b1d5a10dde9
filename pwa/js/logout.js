// Handing the phone to a colleague: sign-out stops while the user's own work waits on this
// phone (unless they discard it, explicitly), then wipes caches, the database and the service
// worker — all but other users' unsent work, which waits, unseen, for its author.
import { needsConnection, reachable } from "./connection.js";
import { button, el } from "./dom.js";
import { _, ngettext } from "./i18n.js";
import { forgetReminders } from "./reminders.js";
import { stopSyncing } from "./status.js";
import * as store from "./store.js";
import { syncNow } from "./sync.js";

// Only the server ends the session: without it the phone would be wiped, and still signed in.
const OFFLINE = () => _("Signing out needs a connection. Nothing was removed from this phone.");

/** Wipes the phone; true when other users' unsent work was kept. */
export async function wipePhone() {
  const othersWaiting = (await store.everyonesOutbox().catch(() => [])).length > 0;
  if (othersWaiting) await store.forgetAllButOutbox();
  else await store.wipe().catch(() => {});
  for (const key of await caches.keys()) await caches.delete(key);
  const registrations = (await navigator.serviceWorker?.getRegistrations()) ?? [];
  await Promise.all(registrations.map((registration) => registration.unregister()));
  return othersWaiting;
}

/** Sign out; the server clears the site's storage too unless others' work is kept in it. */
async function signOut(form) {
  await stopSyncing();
  await forgetReminders().catch((error) => console.error("handvast: reminders not turned off", error));
  if (await wipePhone()) {
    form.append(el("input", { type: "hidden", name: "keep", value: "outbox" }));
  }
  form.submit();
}

function warning(form, count) {
  form.parentElement.querySelector(".logout-warning")?.remove();
  const box = el("div", { className: "logout-warning card" });
  box.setAttribute("role", "alert");
  const text = el("p", { textContent: ngettext(
    "%(num)d item saved on this phone has not been sent yet. Sync first, or discard it to sign out.",
    "%(num)d items saved on this phone have not been sent yet. Sync first, or discard them to sign out.",
    count) });
  const sync = button(_("Sync now"), "button primary", async () => {
    sync.disabled = true;
    await syncNow();
    box.remove();
    form.requestSubmit();
  });
  const discard = button(_("Discard and sign out"), "button danger", async () => {
    if (!(await reachable())) {
      needsConnection(box, OFFLINE());
      return;
    }
    if (!confirm(_("Really discard what is not sent? It cannot be recovered."))) return;
    await store.removeFromOutbox((await store.outbox()).map((item) => item.id));
    await signOut(form);
  });
  box.append(text, sync, " ", discard);
  form.after(box);
  sync.focus();
}

export function initLogout(root) {
  for (const form of root.querySelectorAll("form[data-logout]")) {
    if (form.dataset.logoutReady) continue;
    form.dataset.logoutReady = "1";
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const count = (await store.outbox()).length;
      if (count) {
        warning(form, count);
        return;
      }
      if (!(await reachable())) {
        needsConnection(form, OFFLINE());
        return;
      }
      await signOut(form);
    });
  }
}
