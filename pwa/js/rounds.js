// The live outreach round (data-round-page) works without signal from start to end: starting,
// counting, noting topics and ending are mutations in the outbox, and the round that runs is
// found again after a reload from the outbox, the last pull or the page, in that order.
import { _ } from "./i18n.js";
import * as store from "./store.js";
import { inTurn, queue, render } from "./tallies.js";

/** The round of this user that has not ended, as this phone knows it, or null. */
async function running(page) {
  const items = await store.outbox();
  const ends = new Set(items.filter((item) => item.mutation.type === "outreach_round.end")
    .map((item) => item.mutation.record_id));
  const starts = items.filter((item) => item.mutation.type === "outreach_round.start"
    && item.state === "waiting" && !ends.has(item.mutation.record_id));
  if (starts.length) {
    const { record_id: id, fields } = starts.at(-1).mutation;
    return { id, place: fields.place, started_at: fields.started_at, version: 0 };
  }
  const me = store.currentOwner();
  const kept = await store.recordsOf("outreach_round");
  const open = kept.filter((r) => r.data.started_by === me && !r.data.ended_at && !ends.has(r.id))
    .map((r) => ({ id: r.id, place: r.data.place, started_at: r.data.started_at, version: r.version }));
  const server = page.dataset.userRound ? JSON.parse(page.dataset.userRound) : null;
  if (server && !ends.has(server.id) && !open.some((r) => r.id === server.id)) {
    const copy = kept.find((r) => r.id === server.id);
    if (!(copy && copy.version >= server.version && copy.data.ended_at)) open.push(server);
  }
  open.sort((a, b) => Date.parse(b.started_at) - Date.parse(a.started_at));
  return open[0] ?? null;
}

function show(page, round) {
  const start = page.querySelector("[data-round-start]");
  const live = page.querySelector("[data-round-running]");
  start.hidden = Boolean(round);
  live.hidden = !round;
  if (!round) return;
  const server = page.dataset.userRound ? JSON.parse(page.dataset.userRound) : null;
  if (live.dataset.recordId !== round.id) {
    for (const section of live.querySelectorAll("[data-counter]")) {
      if (!server || server.id !== round.id) section.dataset.serverTotal = "0";
    }
  }
  live.dataset.recordId = round.id;
  live.dataset.version = String(round.version ?? 0);
  live.dataset.label = round.place;
  live.querySelector("[data-round-place]").textContent = round.place;
  inTurn(() => render(live));
}

function summary(live) {
  return [...live.querySelectorAll("[data-counter]")]
    .map((section) => `${section.querySelector(".counter-label").textContent.trim()}: ${section.dataset.value ?? 0}`)
    .join(" · ");
}

function hook(page) {
  const live = page.querySelector("[data-round-running]");
  const startForm = page.querySelector("form[data-round-start-form]");
  startForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const place = startForm.elements.place.value.trim();
    const error = startForm.querySelector("[data-place-error]");
    error.hidden = Boolean(place);
    startForm.elements.place.toggleAttribute("aria-invalid", !place);
    if (!place) {
      startForm.elements.place.focus();
      return;
    }
    const round = { id: crypto.randomUUID(), place, started_at: new Date().toISOString(), version: 0 };
    const fields = { kind: startForm.elements.kind.value || "street_work", place,
      neighbourhood_id: startForm.elements.neighbourhood_id.value || null, started_at: round.started_at };
    inTurn(async () => {
      await queue("outreach_round.start", round.id, fields, place);
      startForm.reset();
      page.querySelector("[data-round-summary]").textContent = "";
      show(page, round);
      live.querySelector("h1").focus?.();
    });
  });
  const topicForm = page.querySelector("form[data-round-topic-form]");
  topicForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const fields = { domain: topicForm.elements.domain.value || null, text: topicForm.elements.text.value.trim() || null };
    if (!fields.domain && !fields.text) return;
    inTurn(async () => {
      await queue("outreach_round.topic", live.dataset.recordId, fields, fields.text ?? live.dataset.label);
      topicForm.reset();
      topicForm.querySelector("[data-round-topic-status]").textContent = _("Saved on this phone — will sync");
    });
  });
  const endForm = page.querySelector("form[data-round-end-form]");
  endForm.addEventListener("submit", (event) => {
    event.preventDefault();
    inTurn(async () => {
      const done = summary(live);
      const label = _("End the round");
      await queue("outreach_round.end", live.dataset.recordId, { ended_at: new Date().toISOString() },
        `${label} · ${live.dataset.label}`);
      const ended = _("Round ended.");
      page.querySelector("[data-round-summary]").textContent = `${ended} ${done}`;
      delete live.dataset.recordId;
      show(page, null);
    });
  });
}

export function initRounds(root) {
  for (const page of root.querySelectorAll("[data-round-page]")) {
    if (page.dataset.roundReady) continue;
    page.dataset.roundReady = "1";
    hook(page);
    inTurn(async () => show(page, await running(page)));
  }
}
