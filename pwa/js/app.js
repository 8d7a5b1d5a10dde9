// Entry point: the service worker, the phone's storage and sync, and the small behaviours
// hung on data-* attributes, set up when the page or htmx loads content.
import { initAttention } from "./attention.js";
import { initBehaviours, keepFocusClearOfBar } from "./behaviours.js";
import { initConnection } from "./connection.js";
import { initErrorSummaries } from "./errors.js";
import { showCarriedFlashes } from "./flashes.js";
import { initForms } from "./forms.js";
import { loadMessages } from "./i18n.js";
import { initInvitation } from "./invitation.js";
import { initInstall, keepData } from "./install.js";
import { initLogout } from "./logout.js";
import { initPasskeys } from "./passkeys.js";
import { initReminders } from "./reminders.js";
import { initRemember } from "./remember.js";
import { initRounds } from "./rounds.js";
import { initPickers } from "./picker.js";
import { initStatus, startSyncing } from "./status.js";
import { claimPhone } from "./sync.js";
import { initTallies } from "./tallies.js";

document.documentElement.classList.add("js");
const signedIn = () => Boolean(document.querySelector("form[data-logout]"));
// The phone shows and sends only the work of the user this page was made for.
const pageUser = () => document.querySelector("form[data-logout]")?.dataset.userId;

function init(root) {
  if (!root?.querySelectorAll) return;
  initBehaviours(root);
  initPasskeys(root);
  if (!signedIn()) return; // the sign-in page keeps nothing on the phone
  initPickers(root);
  initForms(root);
  initRemember(root);
  initLogout(root);
  initInstall(root);
  initStatus(root);
  initReminders(root);
  initTallies(root);
  initRounds(root);
  initInvitation(root);
}

function start() {
  showCarriedFlashes();
  initErrorSummaries();
  keepFocusClearOfBar();
  if (pageUser()) claimPhone(pageUser()).catch((error) => console.error("handvast: phone storage", error));
  if (signedIn()) initConnection();
  init(document.body);
  if (signedIn() && "serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { type: "module", scope: "/", updateViaCache: "all" })
      .catch((error) => console.error("handvast: the service worker was not installed", error));
  }
  // Texts of scripts arrive with the catalog; the forms work before it does.
  loadMessages().then(() => {
    initAttention(document.body);
    if (signedIn()) {
      keepData();
      startSyncing();
    }
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
document.addEventListener("htmx:load", (event) => init(event.target));
document.addEventListener("handvast:content", (event) => init(event.detail));
