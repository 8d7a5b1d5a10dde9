// "Reminders on this phone" (<section data-push-control>): asks the browser's permission only
// when the user taps "Turn on", subscribes with the server's VAPID key and keeps the
// subscription on the server (server/push); "Turn off" removes it on both sides.
const KEY_URL = "/api/v1/push/vapid-public-key";
const SUBSCRIPTIONS_URL = "/api/v1/push/subscriptions";
const READY_TIMEOUT_MS = 10000;

class Offline extends Error {}
class Unavailable extends Error {}
class Refused extends Error {}

const supported = () => "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
const csrfToken = () => document.querySelector("meta[name=csrf-token]")?.content ?? "";

async function api(method, url, body) {
  try {
    return await fetch(url, {
      method, credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Offline();
  }
}

function keyBytes(base64url) {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

const sameKey = (subscription, key) => {
  const held = subscription.options?.applicationServerKey;
  return !held || new Uint8Array(held).every((byte, i) => byte === key[i]);
};

async function registration() {
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("no service worker")), READY_TIMEOUT_MS));
  return Promise.race([navigator.serviceWorker.ready, timeout]);
}

async function serverKey() {
  const response = await api("GET", KEY_URL);
  if (response.status === 503) throw new Unavailable();
  if (!response.ok) throw new Error(`${KEY_URL} answered ${response.status}`);
  return keyBytes((await response.json()).public_key);
}

async function tellServer(subscription) {
  const response = await api("POST", SUBSCRIPTIONS_URL, subscription.toJSON());
  if (response.status === 422) throw new Refused();
  if (!response.ok) throw new Error(`${SUBSCRIPTIONS_URL} answered ${response.status}`);
}

async function turnOn() {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return permission === "denied" ? "blocked" : "off";
  const key = await serverKey();
  const { pushManager } = await registration();
  let subscription = await pushManager.getSubscription();
  if (subscription && !sameKey(subscription, key)) { // the server has a new key
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  try {
    await tellServer(subscription);
  } catch (error) {
    if (error instanceof Refused) await subscription.unsubscribe();
    throw error;
  }
  return "on";
}

/** Off on the phone in any case; the server is told when it can be (else it forgets the
 * device at the next reminder, when the push service answers that it is gone). */
async function turnOff() {
  const subscription = await (await registration()).pushManager.getSubscription();
  if (!subscription) return "off";
  const { endpoint } = subscription;
  await subscription.unsubscribe();
  await api("DELETE", SUBSCRIPTIONS_URL, { endpoint })
    .catch((error) => console.error("handvast: the server was not told reminders are off", error));
  return "off";
}

/** Signing out: this phone's reminders stop, and the server is told within a few seconds
 * (else it forgets the device at the next reminder). Never rejects. */
export async function forgetReminders() {
  if (!supported()) return;
  const subscription = await (await navigator.serviceWorker.getRegistration("/"))?.pushManager
    .getSubscription().catch(() => null);
  if (!subscription) return;
  const told = api("DELETE", SUBSCRIPTIONS_URL, { endpoint: subscription.endpoint }).catch(() => null);
  await Promise.race([told, new Promise((resolve) => setTimeout(resolve, 3000))]);
  await subscription.unsubscribe().catch(() => false);
}

function failure(error) {
  if (error instanceof Offline) return "offline";
  if (error instanceof Unavailable) return "unavailable";
  if (error instanceof Refused) return "refused";
  console.error("handvast: reminders", error);
  return "failed";
}

/** What the phone has now; a subscription it holds is confirmed to the server again. */
async function initialState() {
  if (!supported()) return "unsupported";
  if (Notification.permission === "denied") return "blocked";
  const reg = await navigator.serviceWorker.getRegistration("/");
  const subscription = await reg?.pushManager.getSubscription();
  if (!subscription || Notification.permission !== "granted") return "off";
  tellServer(subscription).catch((error) => console.warn("handvast: reminders not confirmed", error));
  return "on";
}

function show(control, state) {
  const texts = JSON.parse(control.dataset.pushTexts);
  control.dataset.pushState = state; // styles and tests read it
  control.querySelector("[data-push-status]").textContent = texts[state] ?? "";
  const on = control.querySelector("[data-push-on]");
  const off = control.querySelector("[data-push-off]");
  on.hidden = !["off", "offline", "failed"].includes(state);
  off.hidden = state !== "on";
  control.setAttribute("aria-busy", String(state === "busy"));
  for (const button of [on, off]) button.disabled = state === "busy";
}

async function act(control, action, focusAfter) {
  show(control, "busy");
  const state = await action().catch(failure);
  show(control, state);
  const next = control.querySelector(state === "on" ? "[data-push-off]" : "[data-push-on]");
  if (focusAfter && !next.hidden) next.focus();
}

export function initReminders(root) {
  for (const control of root.querySelectorAll("[data-push-control]")) {
    if (control.dataset.pushReady) continue;
    control.dataset.pushReady = "1";
    control.querySelector("[data-push-on]").addEventListener("click", () => act(control, turnOn, true));
    control.querySelector("[data-push-off]").addEventListener("click", () => act(control, turnOff, true));
    initialState().catch(failure).then((state) => show(control, state));
  }
}
