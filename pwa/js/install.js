// Keeping the app and its data: ask for persistent storage, and suggest installing to the
// home screen (on iPhones that is what keeps the data; there it is done from the Share menu).
let deferred = null;

window.addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  deferred = event;
  document.querySelectorAll("[data-install]").forEach((el) => { el.hidden = false; });
});

function standalone() {
  return matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
}

export async function keepData() {
  if (navigator.storage?.persist && !(await navigator.storage.persisted())) {
    await navigator.storage.persist().catch(() => false);
  }
}

export function initInstall(root) {
  for (const button of root.querySelectorAll("[data-install-button]")) {
    if (button.dataset.installReady) continue;
    button.dataset.installReady = "1";
    button.addEventListener("click", async () => {
      if (!deferred) return;
      deferred.prompt();
      await deferred.userChoice;
      deferred = null;
      document.querySelectorAll("[data-install]").forEach((el) => { el.hidden = true; });
    });
  }
  const ios = /iPhone|iPad|iPod/.test(navigator.userAgent) && !standalone();
  root.querySelectorAll("[data-install-ios]").forEach((el) => { el.hidden = !ios; });
}
