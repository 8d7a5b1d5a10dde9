// Small page behaviours hung on data-* attributes; each is safe to run twice.

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

// <button data-share="URL" hidden>: the phone's own share sheet (Web Share API) where it has one.
function share(root) {
  if (!navigator.share) return;
  for (const button of root.querySelectorAll("button[data-share]")) {
    if (!once(button, "shareReady")) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.share({ title: button.dataset.shareTitle, url: button.dataset.share })
        .catch((error) => { if (error.name !== "AbortError") console.error("handvast: share", error); });
    });
  }
}

export function initBehaviours(root) {
  if (!root || !root.querySelectorAll) return;
  autosubmit(root);
  filterList(root);
  selectOnFocus(root);
  share(root);
}
