// A static lesson page (netwise export-site, netwise/site/export.py): no kernel, no server.
//
// The page's HTML already holds the lesson text and each activity's static look. Each
// activity's data sits beside it in a <script type="application/json"> (parsed, never
// evaluated): its spec and interface strings, its state as the Python widget starts, and the
// answer-key data. This bundle:
// 1. creates the browser engine per activity (engine.js, which scores exactly as Python does)
//    and draws it with the same renderer as every other NetWise page (widgets/static/netwise.js)
//    through the same model shim (../model.js): the renderer's messages go to the engine, the
//    engine's state comes back as the model's "state";
// 2. keeps the visitor's answers in localStorage for this page (storage.js), restores them on
//    return, and offers a visible "clear my answers" control;
// 3. loads the passphrase lab's estimator (estimator.js, a chunk of its own) only when the lab
//    is first used;
// 4. registers the site's service worker (sw.js at the site root) so visited lessons work offline.
// Nothing is sent anywhere.

import netwise from "../../../static/netwise.js";
import { Model } from "../model.js";
import { createActivity, createCheck, createSummary, LocalRecord } from "./engine.js";
import { PageStore } from "./storage.js";

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
const CLEARED_FLAG = "netwise-site:cleared";

function readJson(node) {
  try { return JSON.parse(node.textContent); } catch (err) { return null; }
}

// The lab's estimator, fetched once, on first use (a separate chunk; relative to this bundle).
let estimator = null;
function estimate(text, ...rest) {
  if (!estimator) estimator = import("./estimator.js");
  return estimator.then((mod) => mod.estimate(text, ...rest));
}

function mount(model, slot) {
  const view = document.createElement("div");
  view.className = "nw-view";
  netwise.render({ model, el: view });
  slot.querySelector(".nw-static")?.remove();
  slot.append(view);
  slot.removeAttribute("aria-busy");
  slot.dataset.nwDrawn = "true";
}

// A model for the renderer whose messages go to a local engine instead of a kernel.
function engineModel(id, payload, engine) {
  const model = new Model(id, { spec: payload.spec, ui: payload.ui, state: engine.getState() }, {
    send(message) {
      if (message.method !== "custom") return;
      let reply;
      try {
        reply = engine.handle(message.content);
      } catch (err) {
        console.warn("netwise: message refused", err); // a malformed message, as the kernel would refuse it
        return;
      }
      // The passphrase lab's estimate comes back as a custom message, as from a kernel.
      Promise.resolve(reply).then((answer) => {
        if (answer && typeof answer === "object" && answer.kind) model.custom(answer, []);
      }, (err) => console.warn("netwise:", err));
    },
  });
  engine.onChange(() => model.update({ state: engine.getState() }));
  return model;
}

function registerWorker(config) {
  if (!("serviceWorker" in navigator) || !config.sw) return;
  const root = document.documentElement;
  navigator.serviceWorker.register(config.sw, { scope: config.scope }).then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      // This page and its assets were fetched before the worker ran: ask it to keep them.
      const urls = [location.href.split("#")[0],
        ...performance.getEntriesByType("resource").map((entry) => entry.name)];
      const worker = registration.active;
      if (!worker) return;
      navigator.serviceWorker.addEventListener("message", (event) => {
        if (event.data && event.data.type === "kept") root.dataset.nwOffline = "ready";
      });
      worker.postMessage({ type: "keep", urls });
    })
    .catch((err) => console.warn("netwise: no offline copy", err));
}

async function main() {
  const root = document.documentElement;
  const config = readJson(document.getElementById("nw-page")) || {};
  const status = document.getElementById("nw-site-status");
  const say = (text) => { if (status) status.textContent = text || ""; };
  const store = new PageStore(config.storageKey || `netwise-site:${location.pathname}`);
  const record = new LocalRecord(store.load(), (data) => { if (!store.save(data)) throw new Error("storage full or blocked"); },
    { lessonId: config.id, lang: config.lang });
  const slots = [...document.querySelectorAll("[data-nw-slot]")];
  const activities = [];
  const page = { config, record, store, engines: new Map() };
  window.netwisePage = page;

  let index = 0;
  const summaries = [];
  for (const slot of slots) {
    const holder = slot.querySelector("script.nw-data");
    const payload = holder ? readJson(holder) : null;
    holder?.remove();
    if (!payload) continue;
    payload.ui = payload.ui || config.ui || {}; // the page's strings unless the widget has its own
    const kind = slot.dataset.nwSlot;
    const common = { spec: payload.spec, ui: payload.ui, lang: config.lang, lessonId: config.id, record };
    let engine;
    if (kind === "activity") {
      engine = createActivity({ ...common, activity: payload.activity, estimate });
      activities.push(engine);
      page.engines.set(payload.spec.id || payload.activity?.id || String(index), engine);
    } else if (kind === "check") {
      engine = createCheck({ ...common, payload });
      page.check = engine;
    } else {
      summaries.push({ slot, payload, kind });
      continue;
    }
    mount(engineModel(`nw-${index++}`, payload, engine), slot);
    await nextTask(); // one activity per task: a slow phone stays responsive
  }
  // The header's progress and the end-of-lesson summary follow the activities.
  for (const { slot, payload, kind } of summaries) {
    // inMemory: the summary's "answers only in this page" note, true only where storage is blocked.
    const engine = createSummary({ ...payload, kind, record, activities, inMemory: !store.available });
    mount(engineModel(`nw-${index++}`, payload, engine), slot);
  }

  const clear = document.getElementById("nw-clear");
  clear?.addEventListener("click", () => {
    record.clear(); // (it tells storage it is empty) and then nothing of this page is kept at all
    store.clear();
    try { sessionStorage.setItem(CLEARED_FLAG, "1"); } catch (err) { /* the reload says nothing then */ }
    location.reload(); // every activity starts afresh, exactly as on a first visit
  });
  try {
    if (sessionStorage.getItem(CLEARED_FLAG)) { sessionStorage.removeItem(CLEARED_FLAG); say((config.ui || {}).site_cleared); }
  } catch (err) { /* storage blocked */ }

  root.dataset.nwReady = "true";
  root.dataset.nwDrawn = "true";
  window.dispatchEvent(new CustomEvent("netwise:ready"));
  registerWorker(config);
}

main();
