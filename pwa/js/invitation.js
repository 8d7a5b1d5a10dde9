// An invitation in the chosen languages, to copy or to share (Web Share API where the phone
// has it). Without a script every language is shown, ready to select and copy.
import { _ } from "./i18n.js";

function setUp(box) {
  const boxes = [...box.querySelectorAll("[data-invitation-language]")];
  const chosen = () => boxes.filter((input) => input.checked).map((input) => input.value);
  const text = () => chosen()
    .map((code) => box.querySelector(`[data-invitation-text="${code}"] .invitation-text`).textContent)
    .join("\n\n— — —\n\n");
  const status = box.querySelector("[data-invitation-status]");
  const update = () => {
    for (const section of box.querySelectorAll("[data-invitation-text]")) {
      section.hidden = !chosen().includes(section.dataset.invitationText);
    }
  };
  boxes.forEach((input) => input.addEventListener("change", update));
  update();
  const copy = box.querySelector("[data-invitation-copy]");
  if (navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(text());
        status.textContent = _("Copied: paste it in a message or on a poster.");
      } catch (error) {
        console.error("handvast: not copied", error);
        status.textContent = _("Could not copy: select the text and copy it by hand.");
      }
    });
  }
  const share = box.querySelector("[data-invitation-share]");
  if (navigator.share) {
    share.hidden = false;
    share.addEventListener("click", () => navigator.share({ text: text() }).catch((error) => {
      if (error.name !== "AbortError") console.error("handvast: not shared", error);
    }));
  }
}

export function initInvitation(root) {
  for (const box of root.querySelectorAll("[data-invitation]")) {
    if (box.dataset.invitationReady) continue;
    box.dataset.invitationReady = "1";
    setUp(box);
  }
}
