// Passkeys (WebAuthn) for the second factor: <div data-passkey-register> adds one,
// <div data-passkey-sign-in> gives one at sign-in. Each is shown only where the browser can do
// it; the code form beside it works everywhere.
import { _ } from "./i18n.js";

const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";
const supported = () => typeof window.PublicKeyCredential?.parseCreationOptionsFromJSON === "function";

async function postJson(url, body) {
  const response = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
    body: JSON.stringify(body ?? {}),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `${response.status}`);
  return data;
}

function wire(box, ceremony) {
  if (box.dataset.passkeyReady === "1" || !supported()) return;
  box.dataset.passkeyReady = "1";
  box.hidden = false;
  const button = box.querySelector("button");
  const error = box.querySelector("[data-passkey-error]");
  button.addEventListener("click", async () => {
    button.disabled = true;
    error.textContent = "";
    try {
      location.assign((await ceremony(box)).next);
    } catch (problem) {
      // The person closed the browser's dialog, or this address cannot hold a passkey.
      error.textContent = problem?.name === "NotAllowedError"
        ? _("No passkey was used.") : (problem?.message || _("That did not work. Try again."));
      button.disabled = false;
    }
  });
}

async function register(box) {
  const options = await postJson(box.dataset.options);
  const credential = await navigator.credentials.create({
    publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
  const name = navigator.userAgentData?.platform || navigator.platform || "passkey";
  return postJson(box.dataset.register, { credential: credential.toJSON(), name });
}

async function signIn(box) {
  const options = await postJson(box.dataset.options);
  const credential = await navigator.credentials.get({
    publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
  return postJson(box.dataset.verify, { credential: credential.toJSON() });
}

export function initPasskeys(root) {
  for (const box of root.querySelectorAll("[data-passkey-register]")) wire(box, register);
  for (const box of root.querySelectorAll("[data-passkey-sign-in]")) wire(box, signIn);
}
