// NetWise activity widgets: one ES module, no network, no innerHTML with content.
// Python owns correctness and state; this file draws `spec`, reflects `state` in place
// (so keyboard focus stays where it was) and sends the learner's actions as messages.

let uid = 0;
// anywidget may evaluate this module once per widget, so a bare counter repeats ids (and
// radio group names) across activities on one page; a per-instance tag keeps them unique.
const instance = Math.random().toString(36).slice(2, 8);
const nextId = (prefix) => `nw-${prefix}-${instance}-${++uid}`;

// Build an element; children are nodes or strings (strings become text nodes: escaped).
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const LINK = /(?<![@\w.-])(https?:\/\/[^\s]+|www\.[^\s]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:example|test)(?:\/[^\s]*)?)/gi;

// Plain text with **bold** and links drawn as styled text (never <a href>: nothing opens).
function rich(text) {
  const out = [];
  String(text ?? "").split(/(\*\*[^*]+\*\*)/).forEach((chunk) => {
    if (chunk.startsWith("**") && chunk.endsWith("**") && chunk.length > 4) {
      out.push(h("strong", {}, chunk.slice(2, -2)));
      return;
    }
    let at = 0;
    for (const match of chunk.matchAll(LINK)) {
      let url = match[0];
      const trail = url.match(/[.,;:!?)]+$/);
      if (trail) url = url.slice(0, -trail[0].length);
      if (match.index > at) out.push(chunk.slice(at, match.index));
      out.push(h("span", { class: "nw-link" }, url));
      at = match.index + url.length;
    }
    if (at < chunk.length) out.push(chunk.slice(at));
  });
  return out;
}

// A persistent polite live region: created once, only its text changes.
function liveRegion(parent) {
  const region = h("div", { class: "nw-sr", role: "status", "aria-live": "polite", "aria-atomic": "true" });
  parent.append(region);
  let seq = -1;
  return (text, next) => {
    if (next === seq) return;
    seq = next;
    region.textContent = "";
    // Clearing first lets a screen reader announce the same words twice in a row.
    setTimeout(() => { region.textContent = text || ""; }, 60);
  };
}

function alertBox(parent) {
  const box = h("div", { class: "nw-alert", role: "alert", hidden: true });
  parent.append(box);
  return (text) => {
    if (box.textContent !== (text || "")) box.textContent = text || "";
    box.hidden = !text;
  };
}

function setDisabled(button, disabled) {
  // aria-disabled keeps the button focusable, so focus is not lost when it locks.
  if (disabled) button.setAttribute("aria-disabled", "true");
  else button.removeAttribute("aria-disabled");
}
const isDisabled = (button) => button.getAttribute("aria-disabled") === "true";

function replaceChildren(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

// --- simulated artifacts ----------------------------------------------------------

// Segments: [{text}] or [{text, part}]; parts become toggle buttons via makePart.
function segs(list, makePart) {
  if (!list) return [];
  return list.map((s) => (s.part && makePart ? makePart(s) : rich(s.text))).flat();
}

function artifactView(art, ui, makePart) {
  const S = (list) => segs(list, makePart);
  const kind = art.kind;
  const frame = h("div", { class: `nw-art nw-art-${kind}`, role: "group", "aria-label": art.label });
  const has = (list) => Array.isArray(list) && list.length > 0;
  const extras = () => [
    ...(art.extra || []).map((line) => h("p", { class: "nw-extra" }, S(line))),
    ...(art.attachments || []).map((line) =>
      h("p", { class: "nw-attachment" }, h("span", { class: "nw-clip", "aria-hidden": "true" }, "📎 "),
        h("span", { class: "nw-sr" }, `${ui.attachment}: `), S(line))),
  ];
  const bubbles = () => (art.messages || []).map((m) =>
    h("div", { class: `nw-bubble nw-${m.side === "me" ? "me" : "them"}` }, h("p", {}, S(m.text)),
      m.time ? h("span", { class: "nw-time" }, m.time) : null));

  if (kind === "sms" || kind === "chat") {
    frame.append(
      h("div", { class: "nw-phone-head" },
        h("span", { class: "nw-avatar", "aria-hidden": "true" }, initial(art.sender, art.address)),
        h("span", { class: "nw-who" },
          has(art.sender) ? h("strong", {}, S(art.sender)) : null,
          has(art.address) ? h("span", { class: "nw-addr" }, S(art.address)) : null)),
      h("div", { class: "nw-thread" },
        art.time ? h("p", { class: "nw-stamp" }, art.time) : null,
        has(art.body) ? h("div", { class: "nw-bubble nw-them" }, h("p", {}, S(art.body))) : null,
        has(art.url) ? h("div", { class: "nw-bubble nw-them" }, h("p", {}, S(art.url))) : null,
        bubbles(), extras()));
  } else if (kind === "email") {
    frame.append(
      has(art.subject) ? h("p", { class: "nw-subject" }, h("span", { class: "nw-sr" }, `${ui.subject}: `), S(art.subject)) : null,
      h("div", { class: "nw-mail-head" },
        h("span", { class: "nw-avatar", "aria-hidden": "true" }, initial(art.sender, art.address)),
        h("div", { class: "nw-who" },
          h("span", {}, h("span", { class: "nw-sr" }, `${ui.from}: `),
            has(art.sender) ? h("strong", {}, S(art.sender)) : null, " ",
            has(art.address) ? h("span", { class: "nw-addr" }, "<", S(art.address), ">") : null),
          h("span", { class: "nw-to" }, ui.to_me)),
        art.time ? h("span", { class: "nw-time" }, art.time) : null),
      h("div", { class: "nw-mail-body" },
        has(art.body) ? h("p", {}, S(art.body)) : null,
        has(art.url) ? h("p", {}, S(art.url)) : null, bubbles(), extras()));
  } else if (kind === "post") {
    frame.append(
      h("div", { class: "nw-post-head" },
        h("span", { class: "nw-avatar", "aria-hidden": "true" }, initial(art.sender, art.address)),
        h("span", { class: "nw-who" },
          has(art.sender) ? h("strong", {}, S(art.sender)) : null,
          has(art.address) ? h("span", { class: "nw-addr" }, S(art.address)) : null,
          art.time ? h("span", { class: "nw-time" }, art.time) : null)),
      h("div", { class: "nw-post-body" },
        has(art.body) ? h("p", {}, S(art.body)) : null,
        has(art.url) ? h("p", { class: "nw-card-link" }, S(art.url)) : null, bubbles(), extras()),
      h("div", { class: "nw-post-actions", "aria-hidden": "true" }, "♡  💬  ↗"));
  } else if (kind === "web") {
    frame.append(
      h("div", { class: "nw-browser-bar" },
        h("span", { class: "nw-dots", "aria-hidden": "true" }, "● ● ●"),
        h("div", { class: "nw-urlbar" },
          h("span", { class: "nw-sr" }, `${ui.address_bar}: `),
          h("span", { class: "nw-lock", "aria-hidden": "true" }, "🔒"),
          has(art.url) ? S(art.url) : "")),
      h("div", { class: "nw-page" },
        has(art.sender) ? h("p", { class: "nw-site" }, S(art.sender)) : null,
        has(art.subject) ? h("p", { class: "nw-page-title" }, S(art.subject)) : null,
        has(art.body) ? h("p", {}, S(art.body)) : null,
        has(art.address) ? h("p", { class: "nw-addr" }, S(art.address)) : null, bubbles(), extras()));
  } else if (kind === "call") {
    frame.append(
      h("div", { class: "nw-call" },
        h("p", { class: "nw-call-label" }, art.label),
        h("span", { class: "nw-avatar nw-avatar-big", "aria-hidden": "true" }, initial(art.sender, art.address)),
        has(art.sender) ? h("p", { class: "nw-caller" }, S(art.sender)) : null,
        has(art.address) ? h("p", { class: "nw-addr" }, S(art.address)) : null,
        art.time ? h("p", { class: "nw-time" }, art.time) : null,
        has(art.body) ? h("p", { class: "nw-call-text" }, S(art.body)) : null,
        bubbles(), extras(),
        h("div", { class: "nw-call-buttons", "aria-hidden": "true" },
          h("span", { class: "nw-call-btn nw-decline" }, "✕", h("small", {}, ui.decline)),
          h("span", { class: "nw-call-btn nw-accept" }, "✆", h("small", {}, ui.accept)))));
  } else if (kind === "video_call") {
    frame.append(
      h("div", { class: "nw-call nw-video" },
        h("p", { class: "nw-call-label" }, art.label),
        h("div", { class: "nw-video-screen" },
          h("span", { class: "nw-avatar nw-avatar-big", "aria-hidden": "true" }, initial(art.sender, art.address)),
          has(art.scene) ? h("p", { class: "nw-scene" }, h("span", { class: "nw-scene-label" }, `${ui.video_scene}: `),
            h("em", {}, S(art.scene))) : null),
        has(art.sender) ? h("p", { class: "nw-caller" }, S(art.sender)) : null,
        has(art.address) ? h("p", { class: "nw-addr" }, S(art.address)) : null,
        art.time ? h("p", { class: "nw-time" }, art.time) : null,
        has(art.body) ? h("p", { class: "nw-call-text" }, S(art.body)) : null,
        bubbles(), extras(),
        fakeButtons(ui, "nw-call-buttons", [["nw-call-btn nw-decline", "✕", ui.decline], ["nw-call-btn nw-accept", "✆", ui.accept]])));
  } else if (kind === "permission" || kind === "install") {
    const install = kind === "install";
    frame.append(
      h("div", { class: "nw-dialog" },
        h("p", { class: "nw-dialog-label" }, art.label),
        h("div", { class: "nw-dialog-app" },
          h("span", { class: "nw-avatar", "aria-hidden": "true" }, initial(art.sender, art.address)),
          h("span", { class: "nw-who" },
            has(art.sender) ? h("strong", {}, S(art.sender)) : null,
            has(art.address) ? h("span", { class: "nw-addr" }, S(art.address)) : null)),
        has(art.url) ? h("p", { class: "nw-install-from" }, `${ui.install_from}: `, h("span", { class: "nw-addr" }, S(art.url))) : null,
        art.time ? h("p", { class: "nw-time" }, art.time) : null,
        has(art.body) ? h("p", { class: install ? "nw-dialog-text nw-dialog-warn" : "nw-dialog-text" },
          install ? h("span", { "aria-hidden": "true" }, "⚠ ") : null, S(art.body)) : null,
        has(art.details) ? [h("p", { class: "nw-details-title" }, ui.asks_for),
          h("ul", { class: "nw-details" }, art.details.map((line) => h("li", {}, S(line))))] : null,
        bubbles(), extras(),
        install
          ? fakeButtons(ui, "nw-dialog-buttons", [["nw-fake-btn", "", ui.cancel], ["nw-fake-btn nw-fake-main", "", ui.install]])
          : fakeButtons(ui, "nw-dialog-buttons", [["nw-fake-btn", "", ui.deny], ["nw-fake-btn nw-fake-main", "", ui.allow]])));
  }
  return h("figure", { class: "nw-figure" }, frame, h("figcaption", { class: "nw-caption" }, ui.simulated));
}

// The buttons a call or a phone prompt shows are part of the picture, never controls: hidden
// from assistive technology and not focusable, with one line that says which buttons show.
function fakeButtons(ui, cls, buttons) {
  const words = buttons.map(([, , word]) => word);
  return [
    h("div", { class: cls, "aria-hidden": "true" },
      buttons.map(([kind, icon, word]) => h("span", { class: kind }, icon || null, icon ? h("small", {}, word) : word))),
    ui.shown_buttons ? h("p", { class: "nw-sr" }, ui.shown_buttons.replace("{buttons}", words.join(", "))) : null,
  ];
}

function initial(sender, address) {
  const text = (sender && sender[0] && sender[0].text) || (address && address[0] && address[0].text) || "?";
  const ch = text.replace(/^[^\p{L}\p{N}]+/u, "").charAt(0) || "#";
  return ch.toUpperCase();
}

// --- shared activity frame --------------------------------------------------------

function frame(root, spec, ui) {
  const headingId = nextId("h");
  // spec.page_heading: the page around the widget already shows its title (the lesson app).
  const section = h("section", { class: "nw-activity", "aria-labelledby": spec.page_heading ? null : headingId });
  if (!spec.page_heading) section.append(h("h3", { id: headingId, class: "nw-title" }, spec.title || ui.activity_heading));
  root.append(section);
  const body = h("div", { class: "nw-body" });
  const notice = h("p", { class: "nw-notice", hidden: true });
  const feedback = h("div", { class: "nw-feedback", hidden: true });
  section.append(body, notice, feedback);
  const announce = liveRegion(section);
  const showError = alertBox(section);
  return {
    section, body, feedback, headingId,
    common(state) {
      announce(state.announce, state.seq);
      showError(state.error);
      notice.textContent = state.notice || "";
      notice.hidden = !state.notice;
    },
  };
}

// "Partly right" is not an error: its own calm style (issue 13), from the feedback's `partly`
// flag, which the kernel (widgets/base.py judgement) sets where it chooses the headline.
function feedbackClass(fb) {
  if (!fb) return "";
  if (fb.correct) return "nw-ok";
  return fb.partly ? "nw-partly" : "nw-bad";
}

function lines(...texts) {
  return texts.filter(Boolean).map((t) => h("p", {}, rich(t)));
}

// --- choice -----------------------------------------------------------------------

function renderChoice(root, model, spec, ui) {
  const f = frame(root, spec, ui);
  const legendId = nextId("legend");
  const name = nextId("opt");
  const fieldset = h("fieldset", { class: "nw-options" },
    h("legend", { id: legendId }, h("span", { class: "nw-prompt" }, rich(spec.prompt)),
      h("span", { class: "nw-hint" }, spec.multiple ? ui.select_many : ui.select_one)));
  const inputs = new Map();
  const marks = new Map();
  // Once the learner has clicked, the boxes on screen are the truth for the selection:
  // an echo of an older selection from the kernel must not undo a quicker second click.
  let touched = false;
  const send = () => {
    touched = true;
    const ids = spec.options.filter((o) => inputs.get(o.id).checked).map((o) => o.id);
    model.send({ action: "select", ids });
  };
  for (const option of spec.options) {
    const input = h("input", { type: spec.multiple ? "checkbox" : "radio", name, value: option.id, onchange: send });
    const mark = h("span", { class: "nw-mark" });
    inputs.set(option.id, input);
    marks.set(option.id, mark);
    fieldset.append(h("label", { class: "nw-option", "data-key": option.id }, input, h("span", { class: "nw-option-text" }, rich(option.text)), mark));
  }
  const check = h("button", { type: "button", class: "nw-btn nw-primary" }, ui.check);
  check.addEventListener("click", () => { if (!isDisabled(check)) model.send({ action: "check" }); });
  f.body.append(fieldset, h("div", { class: "nw-actions" }, check));

  return (state) => {
    f.common(state);
    const selected = new Set(state.selected || []);
    for (const [id, input] of inputs) {
      if (!touched || state.locked) input.checked = selected.has(id);
      input.disabled = !!state.locked;
      marks.get(id).textContent = "";
      input.closest("label").classList.remove("nw-right", "nw-wrong");
    }
    setDisabled(check, state.locked);
    const fb = state.feedback;
    f.feedback.hidden = !fb;
    if (!fb) return;
    for (const o of fb.options) {
      const label = inputs.get(o.id).closest("label");
      label.classList.add(o.mark === "right" ? "nw-right" : "nw-wrong");
      marks.get(o.id).textContent = o.mark === "right" ? `✓ ${ui.option_right}` : `✗ ${ui.option_wrong}`;
    }
    f.feedback.className = `nw-feedback ${feedbackClass(fb)}`;
    replaceChildren(f.feedback,
      h("p", { class: "nw-headline" }, fb.headline),
      h("ul", { class: "nw-list" }, fb.options.map((o) =>
        h("li", { class: o.mark === "right" ? "nw-right" : "nw-wrong" },
          h("strong", {}, rich(o.text)), " — ", rich(o.feedback)))),
      lines(fb.explanation, fb.attempts_line));
  };
}

// --- verdict ----------------------------------------------------------------------

function renderVerdict(root, model, spec, ui) {
  const f = frame(root, spec, ui);
  f.body.append(h("p", { class: "nw-prompt" }, rich(spec.prompt)));
  const views = new Map();
  for (const item of spec.items) {
    const labelId = nextId("item");
    const buttons = new Map();
    const group = h("div", { class: "nw-verdict-buttons", role: "group", "aria-labelledby": labelId });
    for (const choice of spec.choices) {
      const button = h("button", { type: "button", class: `nw-btn nw-verdict nw-v-${choice.value}`, "aria-pressed": "false" }, choice.label);
      button.addEventListener("click", () => {
        if (!isDisabled(button)) model.send({ action: "judge", item: item.id, verdict: choice.value });
      });
      buttons.set(choice.value, button);
      group.append(button);
    }
    const feedback = h("div", { class: "nw-feedback", hidden: true });
    f.body.append(h("article", { class: "nw-item", "aria-labelledby": labelId },
      h("h4", { id: labelId, class: "nw-item-label" }, item.label),
      artifactView(item.artifact, ui, null), group, feedback));
    views.set(item.id, { buttons, feedback });
  }
  const summary = h("p", { class: "nw-summary", hidden: true });
  f.body.append(summary);

  return (state) => {
    f.common(state);
    for (const item of state.items || []) {
      const view = views.get(item.id);
      if (!view) continue;
      for (const [value, button] of view.buttons) {
        button.setAttribute("aria-pressed", String(item.verdict === value));
        setDisabled(button, item.locked);
      }
      const fb = item.feedback;
      view.feedback.hidden = !fb;
      if (!fb) continue;
      view.feedback.className = `nw-feedback ${feedbackClass(fb)}`;
      replaceChildren(view.feedback,
        h("p", { class: "nw-headline" }, fb.headline),
        lines(fb.you_said, fb.answer),
        fb.cues.length ? [h("p", { class: "nw-cues-title" }, ui.cues),
          h("ul", { class: "nw-list" }, fb.cues.map((c) => h("li", {}, rich(c))))] : null,
        lines(fb.explanation, fb.attempts_line));
    }
    summary.textContent = state.summary || "";
    summary.hidden = !state.summary;
  };
}

// --- red flags --------------------------------------------------------------------

function renderRedFlags(root, model, spec, ui) {
  const f = frame(root, spec, ui);
  const hintId = nextId("hint");
  const partButtons = new Map();
  const makePart = (segment) => {
    const button = h("button", { type: "button", class: "nw-part", "aria-pressed": "false", "data-key": segment.part },
      h("span", { class: "nw-part-text" }, rich(segment.text)),
      h("span", { class: "nw-part-badge", "aria-hidden": "true" }));
    button.addEventListener("click", () => {
      if (!isDisabled(button)) model.send({ action: "toggle", ids: [segment.part] });
    });
    if (!partButtons.has(segment.part)) partButtons.set(segment.part, []);
    partButtons.get(segment.part).push(button);
    return button;
  };
  const art = artifactView(spec.artifact, ui, makePart);
  const group = h("div", { role: "group", "aria-labelledby": hintId, class: "nw-flag-group" }, art);
  const check = h("button", { type: "button", class: "nw-btn nw-primary" }, ui.check);
  check.addEventListener("click", () => { if (!isDisabled(check)) model.send({ action: "check" }); });
  f.body.append(h("p", { class: "nw-prompt" }, rich(spec.prompt)), h("p", { id: hintId, class: "nw-hint" }, ui.mark_parts),
    group, h("div", { class: "nw-actions" }, check));
  const BADGE = { hit: "✓", missed: "!", false_alarm: "✗", ok: "" };

  return (state) => {
    f.common(state);
    const marked = new Set(state.marked || []);
    const status = new Map(((state.feedback && state.feedback.parts) || []).map((p) => [p.id, p.status]));
    for (const [id, buttons] of partButtons) {
      for (const button of buttons) {
        button.setAttribute("aria-pressed", String(marked.has(id)));
        setDisabled(button, state.locked);
        button.className = `nw-part${status.has(id) ? ` nw-${status.get(id).replace("_", "-")}` : ""}`;
        button.querySelector(".nw-part-badge").textContent = BADGE[status.get(id)] || "";
      }
    }
    setDisabled(check, state.locked);
    const fb = state.feedback;
    f.feedback.hidden = !fb;
    if (!fb) return;
    f.feedback.className = `nw-feedback ${feedbackClass(fb)}`;
    replaceChildren(f.feedback,
      h("p", { class: "nw-headline" }, fb.headline),
      h("p", {}, fb.score),
      h("ul", { class: "nw-list" }, fb.parts.map((p) =>
        h("li", { class: `nw-${p.status.replace("_", "-")}` },
          h("strong", {}, rich(p.text)), " — ", p.label, " ", rich(p.explanation)))),
      lines(fb.attempts_line));
  };
}

// --- branching --------------------------------------------------------------------

function renderBranching(root, model, spec, ui) {
  const f = frame(root, spec, ui);
  const art = artifactView(spec.artifact, ui, null);
  // The conversation continues inside the drawn chat, below any opening messages.
  const thread = art.querySelector(".nw-thread, .nw-mail-body, .nw-post-body, .nw-page, .nw-call") || art.firstChild;
  const log = h("div", { class: "nw-log" });
  thread.append(log);
  const replyId = nextId("reply");
  const choices = h("div", { class: "nw-choices", role: "group", "aria-labelledby": replyId });
  const ending = h("div", { class: "nw-feedback", hidden: true });
  const restart = h("button", { type: "button", class: "nw-btn", hidden: true }, ui.restart);
  restart.addEventListener("click", () => { if (!isDisabled(restart)) model.send({ action: "restart" }); });
  // Kept as a reference: the first state arrives before the view is in the document.
  const replyHint = h("p", { id: replyId, class: "nw-hint" }, ui.your_reply);
  f.body.append(h("p", { class: "nw-prompt" }, rich(spec.prompt)), art,
    replyHint, choices, ending, h("div", { class: "nw-actions" }, restart));
  let shown = [];
  let choiceKey = "";
  let pending = null;

  return (state) => {
    f.common(state);
    const conv = state.conversation || [];
    // Keep bubbles already drawn (stable keys); start over only after a restart.
    const same = shown.length <= conv.length && shown.every((k, i) => conv[i].key === k);
    if (!same) { log.replaceChildren(); shown = []; }
    for (const entry of conv.slice(shown.length)) {
      const side = entry.speaker === "me" ? "me" : entry.speaker === "narrator" ? "narrator" : "them";
      log.append(h("div", { class: `nw-bubble nw-${side}` }, h("p", {}, rich(entry.text))));
      shown.push(entry.key);
    }
    const hadFocus = choices.contains(document.activeElement) || restart === document.activeElement;
    const key = `${(state.path || []).join(">")}|${state.locked}`;
    if (key !== choiceKey) {
      choiceKey = key;
      replaceChildren(choices, (state.choices || []).map((c) => {
        const b = h("button", { type: "button", class: "nw-btn nw-choice" }, rich(c.text));
        b.addEventListener("click", () => {
          // One reply per step: a double tap must not also answer the next message.
          if (pending === choiceKey) return;
          pending = choiceKey;
          model.send({ action: "choose", index: c.index });
        });
        return b;
      }));
    }
    choices.hidden = !(state.choices || []).length;
    replyHint.hidden = choices.hidden;
    restart.hidden = !state.can_restart;
    setDisabled(restart, !state.can_restart);
    const end = state.ending;
    ending.hidden = !end;
    if (end) {
      ending.className = `nw-feedback nw-outcome-${end.outcome}`;
      replaceChildren(ending, h("p", { class: "nw-headline" }, end.label), lines(end.feedback));
    }
    // The pressed reply is gone: move focus to the next replies, or to "start again".
    if (hadFocus && !choices.contains(document.activeElement) && document.activeElement !== restart) {
      const target = choices.querySelector("button") || (!restart.hidden ? restart : null);
      if (target) target.focus();
      else { f.section.setAttribute("tabindex", "-1"); f.section.focus(); }
    }
  };
}

// --- passphrase lab ---------------------------------------------------------------

// What is typed never becomes a synced trait (it would be saved with the notebook): it goes
// to the kernel only inside an "estimate" message, and the estimate comes back the same way.
function renderPassphrase(root, model, spec, ui) {
  const f = frame(root, spec, ui);
  const inputId = nextId("pass");
  const privateId = nextId("private");
  const view = nextId("view");
  const input = h("input", {
    id: inputId, type: "password", class: "nw-pass-input", autocomplete: "off", autocapitalize: "off",
    autocorrect: "off", spellcheck: "false", maxlength: spec.max_length, "aria-describedby": privateId,
    "data-lpignore": "true", "data-1p-ignore": "true", "data-form-type": "other",
  });
  const toggle = h("button", { type: "button", class: "nw-btn nw-toggle", "aria-pressed": "false", "aria-controls": inputId }, ui.pass_show);
  toggle.addEventListener("click", () => {
    const show = input.type === "password";
    input.type = show ? "text" : "password";
    toggle.setAttribute("aria-pressed", String(show));
  });
  const fill = h("span", { class: "nw-meter-fill" });
  const meter = h("div", { class: "nw-meter", "aria-hidden": "true", "data-score": "" }, fill);
  const strength = h("p", { class: "nw-strength" });
  const time = h("p", { class: "nw-crack-time" });
  const why = h("div", { class: "nw-why" });
  // Its own polite region: the strength is read out when the learner pauses typing.
  const result = h("div", { class: "nw-pass-result", "aria-live": "polite", "aria-atomic": "true", hidden: true }, strength, time, why);
  const check = h("button", { type: "button", class: "nw-btn nw-primary" }, ui.check);
  f.body.append(
    h("p", { class: "nw-prompt" }, rich(spec.prompt)),
    h("p", { class: "nw-goal" }, spec.goal),
    h("label", { for: inputId, class: "nw-field-label" }, ui.pass_label),
    h("div", { class: "nw-pass-row" }, input, toggle),
    h("p", { id: privateId, class: "nw-hint" }, ui.pass_private),
    meter, result,
    h("div", { class: "nw-tips" }, h("p", { class: "nw-cues-title" }, ui.pass_tips),
      h("ul", { class: "nw-list" }, (spec.tips || []).map((t) => h("li", {}, rich(t))))),
    h("div", { class: "nw-actions" }, check));

  let seq = 0;
  let timer = null;
  const estimate = () => {
    clearTimeout(timer);
    timer = null;
    seq += 1;
    model.send({ action: "estimate", text: input.value, seq, view });
  };
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(estimate, 300); });
  check.addEventListener("click", () => {
    if (isDisabled(check)) return;
    if (timer) estimate(); // messages arrive in order: the kernel estimates before it checks
    model.send({ action: "check" });
  });
  const onMessage = (msg) => {
    if (!msg || msg.kind !== "estimate" || msg.view !== view || msg.seq !== seq) return; // stale or not ours
    window.dispatchEvent(new CustomEvent("netwise:replied"));
    if (msg.throttled) { clearTimeout(timer); timer = setTimeout(estimate, 500); return; } // asked too often: again
    const est = msg.estimate;
    result.hidden = !est;
    meter.setAttribute("data-score", est ? String(est.score) : "");
    fill.style.width = est ? `${(est.score + 1) * 20}%` : "0";
    if (!est) return;
    strength.textContent = est.strength;
    time.textContent = est.time;
    replaceChildren(why,
      est.warning || est.suggestions.length ? h("p", { class: "nw-cues-title" }, ui.pass_why) : null,
      est.warning ? h("p", { class: "nw-warning" }, est.warning) : null,
      est.suggestions.length ? h("ul", { class: "nw-list" }, est.suggestions.map((s) => h("li", {}, s))) : null);
  };
  model.on("msg:custom", onMessage);

  const update = (state) => {
    f.common(state);
    setDisabled(check, state.locked);
    const fb = state.feedback;
    f.feedback.hidden = !fb;
    if (!fb) return;
    f.feedback.className = `nw-feedback ${feedbackClass(fb)}`;
    replaceChildren(f.feedback, h("p", { class: "nw-headline" }, fb.headline), lines(fb.explanation, fb.attempts_line));
  };
  update.cleanup = () => { clearTimeout(timer); model.off("msg:custom", onMessage); };
  return update;
}

// --- privacy settings -------------------------------------------------------------

function renderPrivacy(root, model, spec, ui) {
  const f = frame(root, spec, ui);
  const views = new Map();
  let touched = false; // as in choice: after a tap the radios on screen are the truth
  const panel = h("div", { class: "nw-settings-list" });
  for (const setting of spec.settings) {
    const name = nextId("set");
    const inputs = new Map();
    const fieldset = h("fieldset", { class: "nw-setting" }, h("legend", { class: "nw-setting-label" }, setting.label));
    for (const option of setting.options) {
      const input = h("input", { type: "radio", name, value: option.id });
      input.addEventListener("change", () => {
        touched = true;
        if (input.checked) model.send({ action: "set", setting: setting.id, option: option.id });
      });
      inputs.set(option.id, input);
      fieldset.append(h("label", { class: "nw-setting-option" }, h("span", { class: "nw-option-text" }, option.text), input));
    }
    const feedback = h("div", { class: "nw-setting-fb", hidden: true });
    fieldset.append(feedback);
    panel.append(fieldset);
    views.set(setting.id, { inputs, feedback, fieldset });
  }
  const check = h("button", { type: "button", class: "nw-btn nw-primary" }, ui.check);
  check.addEventListener("click", () => { if (!isDisabled(check)) model.send({ action: "check" }); });
  f.body.append(
    h("p", { class: "nw-prompt" }, rich(spec.prompt)),
    h("div", { class: "nw-situation" }, h("p", { class: "nw-cues-title" }, ui.ps_situation), h("p", {}, rich(spec.situation))),
    h("div", { class: "nw-app-screen", role: "group", "aria-label": spec.screen_title },
      h("div", { class: "nw-app-bar" }, h("span", { "aria-hidden": "true" }, "‹"), h("span", { class: "nw-app-title" }, spec.screen_title)),
      panel),
    h("div", { class: "nw-actions" }, check));

  return (state) => {
    f.common(state);
    const chosen = state.settings || {};
    const fbs = new Map(((state.feedback && state.feedback.settings) || []).map((s) => [s.id, s]));
    for (const [id, view] of views) {
      for (const [optionId, input] of view.inputs) {
        if (!touched || state.locked) input.checked = chosen[id] === optionId;
        input.disabled = !!state.locked;
      }
      const fb = fbs.get(id);
      view.feedback.hidden = !fb;
      view.fieldset.classList.toggle("nw-right", !!(fb && fb.fits));
      view.fieldset.classList.toggle("nw-wrong", !!(fb && !fb.fits));
      if (fb) {
        replaceChildren(view.feedback,
          h("p", { class: "nw-headline" }, fb.fits ? "✓ " : "✗ ", fb.verdict),
          lines(fb.who, fb.better, fb.explanation));
      }
    }
    setDisabled(check, state.locked);
    const fb = state.feedback;
    f.feedback.hidden = !fb;
    if (!fb) return;
    f.feedback.className = `nw-feedback ${feedbackClass(fb)}`;
    replaceChildren(f.feedback, h("p", { class: "nw-headline" }, fb.headline), lines(fb.score, fb.attempts_line));
  };
}

// --- link inspector ---------------------------------------------------------------

function renderLinkInspector(root, model, spec, ui) {
  const f = frame(root, spec, ui);
  f.body.append(h("p", { class: "nw-prompt" }, rich(spec.prompt)));
  const views = new Map();
  for (const item of spec.items) {
    const labelId = nextId("item");
    const pickId = nextId("pick");
    const askId = nextId("ask");
    const pick = { domain: null, genuine: null };
    const labelButtons = [];
    const host = h("div", { class: "nw-host", role: "group", "aria-labelledby": pickId });
    item.labels.forEach((label, i) => {
      if (i > 0) host.append(h("span", { class: "nw-dot", "aria-hidden": "true" }, "."));
      // The name is the visible label (and its xn-- form), then the whole domain this tap selects.
      const button = h("button", { type: "button", class: "nw-label-btn", "aria-pressed": "false" },
        h("span", {}, label.text), label.ascii ? [" ", h("small", { class: "nw-ascii" }, label.ascii)] : null,
        h("span", { class: "nw-sr" }, ` (${label.domain_shown})`));
      button.addEventListener("click", () => {
        if (isDisabled(button)) return;
        pick.domain = label.domain;
        draw();
      });
      labelButtons.push({ button, label });
      host.append(button);
    });
    const picked = h("p", { class: "nw-picked", hidden: true });
    const answerButtons = new Map();
    const ask = h("div", { class: "nw-verdict-buttons", role: "group", "aria-labelledby": askId });
    for (const choice of spec.choices) {
      const button = h("button", { type: "button", class: "nw-btn nw-verdict", "aria-pressed": "false" }, choice.label);
      button.addEventListener("click", () => {
        if (isDisabled(button)) return;
        pick.genuine = choice.value;
        draw();
      });
      answerButtons.set(choice.value, button);
      ask.append(button);
    }
    const check = h("button", { type: "button", class: "nw-btn nw-primary" }, ui.check);
    check.addEventListener("click", () => {
      if (!isDisabled(check)) model.send({ action: "answer", item: item.id, domain: pick.domain, genuine: pick.genuine });
    });
    const feedback = h("div", { class: "nw-feedback", hidden: true });
    f.body.append(h("article", { class: "nw-item", "aria-labelledby": labelId },
      h("h4", { id: labelId, class: "nw-item-label" }, item.label),
      h("p", {}, item.claims_line),
      h("figure", { class: "nw-figure" },
        h("div", { class: "nw-link-card" }, h("span", { class: "nw-sr" }, `${ui.li_link}: `), h("span", { class: "nw-link" }, item.url)),
        h("figcaption", { class: "nw-caption" }, ui.simulated)),
      h("p", { id: pickId, class: "nw-hint" }, ui.li_pick_domain), host, picked,
      h("p", { id: askId, class: "nw-hint" }, item.question), ask,
      h("div", { class: "nw-actions" }, check), feedback));
    const draw = () => {
      let inside = false;
      for (const { button, label } of labelButtons) {
        if (label.domain === pick.domain) inside = true;
        button.setAttribute("aria-pressed", String(label.domain === pick.domain));
        button.classList.toggle("nw-in-domain", inside);
      }
      const shown = labelButtons.find((b) => b.label.domain === pick.domain);
      picked.hidden = !shown;
      picked.textContent = shown ? ui.li_you_picked.replace("{domain}", shown.label.domain_shown) : "";
      for (const [value, button] of answerButtons) button.setAttribute("aria-pressed", String(pick.genuine === value));
    };
    views.set(item.id, { pick, draw, labelButtons, answerButtons, check, feedback, answered: false });
  }
  const summary = h("p", { class: "nw-summary", hidden: true });
  f.body.append(summary);

  return (state) => {
    f.common(state);
    for (const item of state.items || []) {
      const view = views.get(item.id);
      if (!view) continue;
      // A checked answer comes back from the kernel; until then the page keeps the learner's picks.
      if (item.attempts_used && (item.locked || !view.answered)) {
        view.pick.domain = item.domain;
        view.pick.genuine = item.genuine;
      }
      view.answered = item.attempts_used > 0;
      view.draw();
      for (const { button } of view.labelButtons) setDisabled(button, item.locked);
      for (const button of view.answerButtons.values()) setDisabled(button, item.locked);
      setDisabled(view.check, item.locked);
      const fb = item.feedback;
      view.feedback.hidden = !fb;
      if (!fb) continue;
      view.feedback.className = `nw-feedback ${feedbackClass(fb)}`;
      replaceChildren(view.feedback,
        h("p", { class: "nw-headline" }, fb.headline),
        lines(fb.you_picked, fb.you_said, ...fb.reveal, fb.explanation, fb.attempts_line));
    }
    summary.textContent = state.summary || "";
    summary.hidden = !state.summary;
  };
}

// --- reliability rating -----------------------------------------------------------

function renderRating(root, model, spec, ui) {
  const f = frame(root, spec, ui);
  f.body.append(h("p", { class: "nw-prompt" }, rich(spec.prompt)), h("p", { class: "nw-hint" }, spec.scale_hint));
  const views = new Map();
  for (const item of spec.items) {
    const labelId = nextId("item");
    const hintId = nextId("hint");
    const name = nextId("rate");
    const inputs = new Map();
    // Native radios (arrow keys, one tab stop) drawn as big number buttons; choosing one
    // only selects it: arrowing through the scale must not submit a rating.
    const scale = h("div", { class: "nw-scale" });
    const mark = () => { for (const [, input] of inputs) input.closest("label").classList.toggle("nw-on", input.checked); };
    for (const n of spec.scale) {
      const input = h("input", { type: "radio", name, value: String(n), class: "nw-scale-input", onchange: mark });
      inputs.set(n, input);
      scale.append(h("label", { class: "nw-scale-btn" }, input, h("span", {}, String(n))));
    }
    const fieldset = h("fieldset", { class: "nw-rating", "aria-describedby": hintId },
      h("legend", {}, ui.rt_your_rating), scale,
      h("p", { id: hintId, class: "nw-scale-ends" },
        h("span", {}, `1 · ${spec.low_label}`), h("span", {}, `7 · ${spec.high_label}`)));
    const save = h("button", { type: "button", class: "nw-btn nw-primary" }, ui.rt_save);
    save.addEventListener("click", () => {
      if (isDisabled(save)) return;
      const chosen = [...inputs].find(([, input]) => input.checked);
      model.send({ action: "rate", item: item.id, rating: chosen ? chosen[0] : null });
    });
    const feedback = h("div", { class: "nw-feedback", hidden: true });
    f.body.append(h("article", { class: "nw-item", "aria-labelledby": labelId },
      h("h4", { id: labelId, class: "nw-item-label" }, item.label),
      artifactView(item.artifact, ui, null), fieldset, h("div", { class: "nw-actions" }, save), feedback));
    views.set(item.id, { inputs, save, feedback, mark, used: -1 });
  }
  const summary = h("div", { class: "nw-summary", hidden: true });
  f.body.append(summary);

  return (state) => {
    f.common(state);
    for (const item of state.items || []) {
      const view = views.get(item.id);
      if (!view) continue;
      // Show the saved rating when it is new or final; otherwise keep what the learner is choosing.
      const fresh = item.attempts_used !== view.used;
      view.used = item.attempts_used;
      for (const [n, input] of view.inputs) {
        if ((fresh || item.locked) && item.rating !== null && item.rating !== undefined) input.checked = item.rating === n;
        input.disabled = !!item.locked;
      }
      view.mark();
      setDisabled(view.save, item.locked);
      const fb = item.feedback;
      view.feedback.hidden = !fb;
      if (!fb) continue;
      view.feedback.className = `nw-feedback ${fb.correct === null ? "" : feedbackClass(fb)}`;
      replaceChildren(view.feedback,
        h("p", { class: "nw-headline" }, fb.you_rated),
        lines(fb.headline, fb.truth),
        fb.cues.length ? [h("p", { class: "nw-cues-title" }, ui.cues),
          h("ul", { class: "nw-list" }, fb.cues.map((c) => h("li", {}, rich(c))))] : null,
        lines(fb.explanation, fb.attempts_line));
    }
    const s = state.summary;
    summary.hidden = !s;
    replaceChildren(summary, s ? lines(s.means, s.discernment) : null);
  };
}

// --- assessment form (pre / post / booster check) ----------------------------------

// No right/wrong until the last item: pressed buttons only. Then the summary, the learner's
// own before/after and every item explained. A finished pre form keeps its four counts in
// sessionStorage so that a post form in another kernel (the lesson app) can compare.
function renderAssessment(root, model, spec, ui) {
  const f = frame(root, spec, ui);
  const progress = h("p", { class: "nw-progress" });
  const warning = alertBox(f.section);
  f.body.append(h("p", { class: "nw-prompt" }, rich(spec.prompt)),
    spec.page_heading ? null : h("p", { class: "nw-hint" }, ui.as_intro), progress);
  const views = new Map();
  for (const item of spec.items) {
    const labelId = nextId("item");
    const buttons = new Map();
    const group = h("div", { class: "nw-verdict-buttons", role: "group", "aria-labelledby": labelId });
    for (const choice of spec.choices) {
      const button = h("button", { type: "button", class: "nw-btn nw-verdict", "aria-pressed": "false" }, choice.label);
      button.addEventListener("click", () => {
        if (!isDisabled(button)) model.send({ action: "judge", item: item.id, verdict: choice.value });
      });
      buttons.set(choice.value, button);
      group.append(button);
    }
    f.body.append(h("article", { class: "nw-item", "aria-labelledby": labelId },
      h("h4", { id: labelId, class: "nw-item-label" }, item.label), artifactView(item.artifact, ui, null), group));
    views.set(item.id, { buttons });
  }
  const reviewId = nextId("h");
  const end = h("section", { class: "nw-summary-box", hidden: true, "aria-labelledby": reviewId });
  f.body.append(end);
  const storage = () => { try { return window.sessionStorage; } catch (err) { return null; } };
  if (spec.kind !== "pre") {
    // The pre form's counts from this browser tab, if it was taken here; never sent anywhere else.
    const saved = storage() && storage().getItem(spec.storage_key);
    if (saved) {
      try { model.send({ action: "before", counts: JSON.parse(saved) }); } catch (err) { /* ignore a damaged entry */ }
    }
  }

  return (state) => {
    f.common(state);
    warning(state.warning);
    progress.textContent = state.progress || "";
    for (const item of state.items || []) {
      const view = views.get(item.id);
      if (!view) continue;
      for (const [value, button] of view.buttons) {
        button.setAttribute("aria-pressed", String(item.verdict === value));
        setDisabled(button, item.locked);
      }
    }
    if (state.counts && storage()) {
      try { storage().setItem(spec.storage_key, JSON.stringify(state.counts)); } catch (err) { /* storage full or blocked */ }
    }
    end.hidden = !state.finished;
    if (!state.finished) return;
    replaceChildren(end,
      h("h4", { id: reviewId, class: "nw-title" }, ui.as_review),
      h("p", { class: "nw-summary" }, state.summary || ""),
      state.before_after ? h("p", { class: "nw-summary" }, state.before_after) : null,
      h("p", { class: "nw-hint" }, ui.as_private),
      (state.review || []).map((r) => h("div", { class: `nw-feedback ${r.correct ? "nw-ok" : "nw-bad"}` },
        h("p", { class: "nw-headline" }, r.label, " — ", r.correct ? ui.correct : ui.incorrect),
        lines(r.you_said, r.answer),
        r.cues.length ? [h("p", { class: "nw-cues-title" }, ui.cues),
          h("ul", { class: "nw-list" }, r.cues.map((c) => h("li", {}, rich(c))))] : null,
        lines(r.explanation))));
  };
}

// --- lesson header ----------------------------------------------------------------

function renderHeader(root, model, spec, ui) {
  const box = h("header", { class: "nw-header" },
    spec.page_heading ? null : h("h2", { class: "nw-lesson-title" }, spec.title));
  const progress = h("p", { class: "nw-progress" });
  box.append(progress);
  root.append(box);
  const warning = alertBox(box);
  const error = alertBox(box);
  return (state) => {
    progress.textContent = state.progress || "";
    warning(state.warning);
    error(state.error);
  };
}

// --- end-of-lesson summary ---------------------------------------------------------

function renderSummary(root, model, spec, ui) {
  const headingId = nextId("h");
  const text = h("p", { class: "nw-summary-text" });
  const score = h("p", { class: "nw-summary-score", hidden: true });
  const done = h("p", { class: "nw-summary-done", hidden: true }, ui.summary_all_done);
  const list = h("ul", { class: "nw-summary-list" });
  const note = h("p", { class: "nw-hint", hidden: true }, ui.answers_in_page);
  root.append(h("section", { class: "nw-summary-box", "aria-labelledby": headingId },
    h("h2", { id: headingId, class: "nw-title" }, ui.summary_heading), text, score, done, list, note));
  return (state) => {
    text.textContent = state.text || "";
    score.textContent = state.score || "";
    score.hidden = !state.score;
    done.hidden = !state.finished;
    note.hidden = !state.in_memory;
    replaceChildren(list, (state.items || []).map((item) =>
      h("li", { class: item.answered ? "nw-right" : "" },
        h("span", { "aria-hidden": "true" }, item.answered ? "✓ " : "○ "),
        item.title, h("span", { class: "nw-sr" }, `: ${item.answered ? ui.summary_answered : ui.summary_not_answered}`))));
  };
}

const RENDERERS = {
  header: renderHeader,
  summary: renderSummary,
  choice: renderChoice,
  verdict: renderVerdict,
  red_flags: renderRedFlags,
  branching: renderBranching,
  passphrase_lab: renderPassphrase,
  privacy_settings: renderPrivacy,
  link_inspector: renderLinkInspector,
  rating: renderRating,
  assessment: renderAssessment,
};

function render({ model, el }) {
  const spec = model.get("spec") || {};
  const ui = model.get("ui") || {};
  const root = h("div", { class: "nw-root" });
  if (spec.lang) root.lang = spec.lang;
  el.append(root);
  const draw = RENDERERS[spec.type];
  if (!draw) {
    root.append(h("p", { role: "alert" }, `Unknown NetWise widget: ${spec.type}`));
    return () => {};
  }
  // The lesson page watches each answer until the kernel's reply comes: it reconnects, or says
  // the lesson has stopped, rather than go silent (netwise/app/templates/.../index.html.j2).
  const tell = (name) => window.dispatchEvent(new CustomEvent(name));
  const watched = {
    get: (key) => model.get(key),
    on: (...args) => model.on(...args),
    off: (...args) => model.off(...args),
    send: (content, ...rest) => { tell("netwise:sent"); return model.send(content, ...rest); },
  };
  const update = draw(root, watched, spec, ui);
  const onState = () => { tell("netwise:replied"); update(model.get("state") || {}); };
  model.on("change:state", onState);
  onState();
  return () => {
    model.off("change:state", onState);
    if (update.cleanup) update.cleanup(); // e.g. the passphrase lab's message listener
  };
}

export default { render };
