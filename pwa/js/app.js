// Entry point: wires small behaviours to data-* attributes when htmx (or the page) loads.
import { initBehaviours } from "./behaviours.js";

document.documentElement.classList.add("js");
const start = () => initBehaviours(document.body);
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
document.addEventListener("htmx:load", (event) => initBehaviours(event.target));
