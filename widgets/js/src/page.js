// The lean lesson page (netwise/app/templates/voila/templates/netwise-lean): the lesson text
// and each activity's static look are already in the HTML; this draws the live activities.
//
// 1. Each activity's placeholder carries the state its widget had when Voilà rendered the
//    page (spec, state, interface strings): the renderer draws it at once, one activity per
//    task so that no task blocks a slow phone for long.
// 2. Meanwhile the page connects to its kernel and asks for the current states
//    ("request_states"); they update the models, and the renderer follows.
// 3. Until then an action waits in the connection's queue; the activity says it is getting ready.
// 4. It never goes silent (issue 11): it reconnects after a drop, says when the kernel is gone
//    and offers to start again, finds out why when an answer gets no reply, and asks before a
//    started lesson is left (its answers live only in its kernel).
// The renderer (widgets/static/netwise.js) only ever sees anywidget's model interface.

import netwise from "../../static/netwise.js";
import { KernelConnection } from "./kernel.js";
import { WidgetManager } from "./manager.js";

const RETRY_MS = [500, 1000, 2000, 4000, 8000];
const SAY_LOST_AFTER_MS = 2500;
const REPLY_WITHIN_MS = 8000;
const KERNEL_GONE = 4004; // the close code of a kernel the server shut down (netwise/app/channels.py)
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

function readJson(node) {
  try { return JSON.parse(node.textContent); } catch (err) { return null; }
}

// Kind to weak phones (lean.css): blocks off screen start unrendered (content-visibility:
// auto), so the first layout and the one after drawing stay short. Once the activities are
// drawn, the rest is laid out one block per frame, each a short task; then the page is an
// ordinary document again (innerText, find in page, audits): html[data-nw-laid-out].
const LAZY = ".nw-text, .nw-cell, .nw-item";
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function layOutTheRest(root) {
  for (const block of document.querySelectorAll(LAZY)) {
    block.style.contentVisibility = "visible";
    await nextFrame();
  }
  root.dataset.nwLaidOut = "true";
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
  const dialog = document.getElementById("nw-leave");
  // A class page's answers are saved on the server as they are given (config.saved): leaving
  // loses nothing, so it never asks, and it reloads itself after a server restart (stop below).
  const saved = config.saved === true;
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
  let started = false; // an answer was sent: leaving loses it
  let leaving = false;
  let replyTimer = null; // the watchdog for a reply to the last answer
  const stop = () => {
    clearTimeout(replyTimer);
    replyTimer = null;
    kernel.markGone();
    // A class page (issue 14) keeps its answers on disk: when its server is back after a crash, a
    // new page and kernel restore them, so it reloads itself. Not when the server shut the kernel
    // down on purpose (4004: another page of the student's opened, or it was culled): two tabs
    // of one student would otherwise take the kernel from each other forever.
    if (saved && kernel.closeCode !== KERNEL_GONE) {
      say(strings.connection_lost);
      location.reload();
      return;
    }
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

  // Every answer gets a reply; if none comes, find out why instead of going quiet.
  window.addEventListener("netwise:sent", () => {
    started = true;
    if (replyTimer) return;
    replyTimer = setTimeout(() => {
      replyTimer = null;
      if (kernel.status === "gone") return;
      check().then((answer) => {
        if (answer === "gone") { stop(); return; }
        if (answer === "offline" || kernel.status !== "connected") say(strings.connection_lost);
        else say(strings.no_reply); // connected to a kernel that is there but says nothing
        if (kernel.status === "disconnected" && !kernel.closing) kernel.connect();
      });
    }, REPLY_WITHIN_MS);
  });
  window.addEventListener("netwise:replied", () => {
    clearTimeout(replyTimer);
    replyTimer = null;
    if (kernel.status === "connected") say("");
  });

  // Leaving a started lesson asks first: the browser's own question on unload, and for a link
  // on the page the lesson's own dialog, in the lesson's language.
  const gone = () => kernel.status === "gone";
  window.addEventListener("beforeunload", (event) => {
    if (started && !saved && !gone() && !leaving) { event.preventDefault(); event.returnValue = ""; }
  }, true);
  let target = null;
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href]");
    if (!link || !dialog || !started || saved || gone() || leaving || link.target || event.defaultPrevented) return;
    if (link.closest("#nw-stopped") || link.getAttribute("href").charAt(0) === "#") return;
    event.preventDefault();
    target = link.href;
    dialog.showModal();
  }, true);
  dialog?.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    dialog.close();
    if (button.value === "go" && target) { leaving = true; location.href = target; }
  });

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
  await layOutTheRest(root);
}

main();
