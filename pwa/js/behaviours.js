// Small page behaviours hung on data-* attributes; each is safe to run twice.

const FOCUS_GAP_PX = 8;

/** What the keyboard focuses is never under the fixed bottom bar: the browser scrolls only a
 * field outside the window into view, not one inside it that the bar covers. Called once. */
export function keepFocusClearOfBar() {
  document.addEventListener("focusin", (event) => {
    const bar = document.querySelector(".bottom-nav");
    if (!bar || bar.contains(event.target) || getComputedStyle(bar).position !== "fixed") return;
    const limit = bar.getBoundingClientRect().top - FOCUS_GAP_PX;
    const box = event.target.getBoundingClientRect();
    // Up by what the bar covers, never so far that the field's top leaves the window.
    const by = Math.min(box.bottom - limit, box.top - FOCUS_GAP_PX);
    if (box.bottom > limit && by > 0) window.scrollBy(0, by);
  });
}

function once(el, key) {
  if (el.dataset[key] === "1") return false;
  el.dataset[key] = "1";
  return true;
}

// <form data-autosubmit>: submit when a select changes (the button is there without script).
function autosubmit(root) {
  for (const form of root.querySelectorAll("form[data-autosubmit]")) {
    if (!once(form, "autosubmitReady")) continue;
    form.addEventListener("change", () => form.requestSubmit());
  }
}

// <input data-filter-list="ID">: hide choices in #ID that do not match the typed text.
function filterList(root) {
  for (const input of root.querySelectorAll("input[data-filter-list]")) {
    if (!once(input, "filterReady")) continue;
    const list = document.getElementById(input.dataset.filterList);
    input.addEventListener("input", () => {
      const needle = input.value.trim().toLocaleLowerCase();
      for (const item of list.querySelectorAll("label")) {
        const checked = item.querySelector("input")?.checked;
        item.hidden = Boolean(needle) && !checked && !item.textContent.toLocaleLowerCase().includes(needle);
      }
    });
  }
}

// <input data-select-on-focus>: a one-time link is selected for copying.
function selectOnFocus(root) {
  for (const input of root.querySelectorAll("input[data-select-on-focus]")) {
    if (!once(input, "selectReady")) continue;
    input.addEventListener("focus", () => input.select());
  }
}

// <button data-copy="ID" hidden>: copies the value of input #ID (Clipboard API); shown only
// where the API exists. The input stays visible and selectable without script.
function copyButtons(root) {
  for (const button of root.querySelectorAll("button[data-copy]")) {
    if (!once(button, "copyReady") || !navigator.clipboard?.writeText) continue;
    const input = document.getElementById(button.dataset.copy);
    const status = button.closest("section")?.querySelector("[data-copy-status]");
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(input.value);
        if (status) status.textContent = button.dataset.copied;
      } catch (error) {
        console.error("handvast: copying failed", error);
        input.focus();
        input.select();
        if (status) status.textContent = button.dataset.copyFailed;
      }
    });
  }
}

// <button data-share="ID" hidden>: offers the value of input #ID to the phone's share sheet
// (Web Share API), where there is one.
function shareButtons(root) {
  for (const button of root.querySelectorAll("button[data-share]")) {
    if (!once(button, "shareReady") || !navigator.share) continue;
    const input = document.getElementById(button.dataset.share);
    const data = { title: button.dataset.shareTitle, url: input.value };
    if (navigator.canShare && !navigator.canShare(data)) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.share(data).catch((error) => {
        if (error.name !== "AbortError") console.error("handvast: sharing failed", error);
      });
    });
  }
}

// <button data-share-url="URL" hidden>: the phone's own share sheet (Web Share API) where it has one.
function shareUrl(root) {
  if (!navigator.share) return;
  for (const button of root.querySelectorAll("button[data-share-url]")) {
    if (!once(button, "shareReady")) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl })
        .catch((error) => { if (error.name !== "AbortError") console.error("handvast: share", error); });
    });
  }
}

export function initBehaviours(root) {
  if (!root || !root.querySelectorAll) return;
  autosubmit(root);
  filterList(root);
  selectOnFocus(root);
  copyButtons(root);
  shareButtons(root);
  shareUrl(root);
}
