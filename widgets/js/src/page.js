// The lean lesson page (netwise/app/templates/voila/templates/netwise-lean): the lesson text
// and each activity's static look are already in the HTML; this draws the live activities.
//
// 1. Each activity's placeholder carries the state its widget had when Voilà rendered the
//    page (spec, state, interface strings): the renderer draws it at once, one activity per
//    task so that no task blocks a slow phone for long.
// 2. Meanwhile the page connects to its kernel and asks for the current states
//    ("request_states"); they update the models, and the renderer follows.
// 3. Until then an action waits in the connection's queue; the activity says it is getting ready.
// The renderer (widgets/static/netwise.js) only ever sees anywidget's model interface.

import netwise from "../../static/netwise.js";
import { KernelConnection } from "./kernel.js";
import { WidgetManager } from "./manager.js";

const RETRY_MS = [500, 1000, 2000, 4000, 8000];
const SAY_LOST_AFTER_MS = 2500;
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

function readJson(node) {
  try { return JSON.parse(node.textContent); } catch (err) { return null; }
}

function mount(model, slot) {
  const view = document.createElement("div");
  view.className = "nw-view";
  netwise.render({ model, el: view });
  slot.querySelector(".nw-static")?.remove();
  slot.append(view);
  slot.dataset.nwDrawn = "true";
}

async function main() {
  const config = readJson(document.getElementById("nw-page")) || {};
  const strings = config.strings || {};
  const root = document.documentElement;
  const kernel = new KernelConnection(config);
  const manager = new WidgetManager(kernel);
  const page = { kernel, manager, config };
  window.netwisePage = page;
  const slots = [...document.querySelectorAll("[data-nw-model]")];
  const status = document.getElementById("nw-connection");
  const stopped = document.getElementById("nw-stopped");
  const say = (text) => { if (status) { status.textContent = text || ""; status.hidden = !text; } };

  // --- the connection ------------------------------------------------------------------
  let attempt = 0;
  let lostTimer = null;
  let ready = false;
  const markReady = () => {
    ready = true;
    for (const slot of slots) slot.removeAttribute("aria-busy");
    root.dataset.nwReady = "true";
    window.dispatchEvent(new CustomEvent("netwise:ready"));
  };
  const stop = () => {
    kernel.markGone();
    say("");
    root.classList.add("nw-lesson-stopped");
    if (stopped) {
      stopped.hidden = false;
      const link = stopped.querySelector("a");
      if (link) { link.href = location.pathname + location.search; link.focus(); }
    }
  };
  // Is the kernel still there? Gone only on the server's own answer, never on a network drop.
  const check = () => fetch(`${kernel.baseUrl}api/kernels/${encodeURIComponent(kernel.kernelId)}`,
    { credentials: "same-origin", cache: "no-store" })
    .then((r) => (r.status === 404 ? "gone" : "alive"), () => "offline");
  kernel.onStatus((state) => {
    clearTimeout(lostTimer);
    if (state === "connected") {
      attempt = 0;
      say("");
      manager.requestStates().then(() => { if (!ready) markReady(); }, (err) => console.warn(err));
    } else if (state === "disconnected" && !kernel.closing) {
      lostTimer = setTimeout(() => say(strings.connection_lost), SAY_LOST_AFTER_MS);
      check().then((answer) => {
        if (answer === "gone") { stop(); return; }
        const delay = RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)];
        setTimeout(() => kernel.connect(), delay);
      });
    }
  });
  if (config.kernelId) kernel.connect();

  // The page's kernel is shut down when the page is really left (not on a bfcache visit).
  window.addEventListener("pagehide", (event) => {
    if (event.persisted || kernel.status === "gone" || !config.kernelId) return;
    kernel.close();
    const body = new FormData();
    const xsrf = document.cookie.match(/\b_xsrf=([^;]*)\b/);
    body.append("_xsrf", xsrf ? xsrf[1] : "");
    navigator.sendBeacon(`${kernel.baseUrl}voila/api/shutdown/${encodeURIComponent(kernel.kernelId)}`, body);
  });

  // --- the activities ------------------------------------------------------------------
  const waiting = new Map(); // model id -> slot, for activities the page has no state for yet
  for (const slot of slots) {
    const id = slot.dataset.nwModel;
    const holder = slot.querySelector("script.nw-state");
    const state = holder ? readJson(holder) : null;
    holder?.remove();
    if (!state) { waiting.set(id, slot); continue; }
    mount(manager.model(id, state), slot);
    await nextTask();
  }
  if (waiting.size) {
    const drawWaiting = () => {
      for (const [id, slot] of waiting) {
        const model = manager.models.get(id);
        if (model) { mount(model, slot); waiting.delete(id); }
      }
    };
    window.addEventListener("netwise:ready", drawWaiting, { once: true });
    if (ready) drawWaiting();
  }
  root.dataset.nwDrawn = "true";
}

main();
