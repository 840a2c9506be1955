// A before/after check on a static page (widgets/assessment.py's AssessmentWidget): judge every
// item, no right or wrong until the end, then the summary, the review and, on a later form, the
// before/after line from the pre form's counts the page keeps in the browser.

import { LocalRecord } from "./record.js";
import { format, isDict, isInt, pyStr } from "./score.js";
import { badMessage, listeners, scaleTables, valueOf } from "./base.js";

const COUNT_KEYS = ["hits", "signal", "trusted", "noise"];

// discernment.score_form, with the scales' tables from the page data (base.js scaleTables).
function scoreForm(truth, given, { signals, noise }) {
  let hits = 0;
  let rejections = 0;
  let signalItems = 0;
  for (const [itemId, key] of Object.entries(truth)) {
    if (signals.includes(key)) signalItems += 1;
    const said = Object.hasOwn(given, itemId) ? given[itemId] : null;
    if (![...signals, ...noise].includes(said)) continue;
    if (signals.includes(key)) hits += signals.includes(said) ? 1 : 0;
    else rejections += signals.includes(said) ? 0 : 1;
  }
  const items = Object.keys(truth).length;
  return { hits, signal: signalItems, trusted: rejections, noise: items - signalItems };
}

class CheckEngine {
  constructor({ check, spec, ui, lang = "en", record }) {
    this.check = check;
    this.spec = spec;
    this.ui = ui;
    this.lang = lang;
    this.record = record || new LocalRecord(undefined, null);
    this.key = Object.fromEntries(check.items.map((i) => [i.id, i.answer]));
    this.scales = scaleTables(check.scales); // netwise.site.keys.scales: Python's tables
    this.seq = 0;
    this.announce = "";
    this.before = null;
    this.changes = listeners();
    if (this.finished()) this.announce = this.endText();
    this.refresh();
  }

  answers() {
    // discernment.first_answers: the first verdict of each item (the first answer counts).
    const partsOf = this.record.data.answers[this.check.form_id] || {};
    const out = {};
    for (const item of this.check.items) {
      const attempts = partsOf[item.id];
      const first = Array.isArray(attempts) && attempts.length ? attempts[0] : null;
      const value = valueOf(first);
      const verdict = isDict(value) ? value.verdict : null;
      out[item.id] = typeof verdict === "string" ? verdict : null;
    }
    return out;
  }

  finished() {
    return Object.values(this.answers()).every((v) => v !== null);
  }

  counts() {
    return scoreForm(this.key, this.answers(), this.scales);
  }

  // The answer as the learner sees it: the bank's label (the spec's buttons), else the usual word.
  word(answer) {
    const choice = (this.spec.choices || []).find((c) => c.value === answer);
    return choice ? choice.label : this.ui[answer];
  }

  choices() {
    const signal = this.scales.signal[this.check.scale];
    return [...this.scales.answers[this.check.scale]].sort((a, b) => Number(a !== signal) - Number(b !== signal));
  }

  handle(message) {
    if (badMessage(message)) throw new Error("not a NetWise widget message");
    if (message.action === "judge") this.judge(message);
    else if (message.action === "before") this.takeBefore(message.counts);
    else throw new Error(`unknown action ${pyStr(message.action)} for an assessment form`);
    this.refresh();
  }

  judge(message) {
    const { item, verdict } = message;
    if (typeof item !== "string" || !Object.hasOwn(this.key, item)) throw new Error(`no item in form '${this.check.record_id}'`);
    if (!this.choices().includes(verdict)) throw new Error(`verdict must be one of ${this.choices()}`);
    if (this.answers()[item] !== null) return; // the first answer counts
    this.record.add(this.check.form_id, item, { verdict });
    this.record.notify();
    const done = Object.values(this.answers()).filter((v) => v !== null).length;
    this.say(this.finished() ? this.endText() : format(this.ui.as_saved, { done, total: this.check.items.length }));
  }

  takeBefore(counts) {
    // Counts kept by the browser from this learner's pre form; checked, never stored.
    if (this.check.kind === "pre") return;
    const ok =
      isDict(counts) &&
      COUNT_KEYS.every((k) => isInt(counts[k]) && typeof counts[k] !== "boolean" && counts[k] >= 0 && counts[k] <= 1000);
    if (!ok || counts.hits > counts.signal || counts.trusted > counts.noise) throw new Error("not a pre-form summary");
    this.before = Object.fromEntries(COUNT_KEYS.map((k) => [k, counts[k]]));
    if (this.finished()) this.say(this.endText());
  }

  say(text) {
    this.announce = text;
    this.seq += 1;
  }

  summaryText() {
    if (!this.finished()) return null;
    return format(this.ui[`as_summary_${this.scales.signal[this.check.scale]}`], this.counts());
  }

  beforeAfterText() {
    if (!this.finished() || this.before === null || this.check.kind === "pre") return null;
    const before = Object.fromEntries(Object.entries(this.before).map(([k, v]) => [`before_${k}`, v]));
    return format(this.ui[`as_before_after_${this.scales.signal[this.check.scale]}`], { ...before, ...this.counts() });
  }

  endText() {
    return [this.summaryText(), this.beforeAfterText()].filter(Boolean).join(" ");
  }

  review() {
    const answers = this.answers();
    const total = this.check.items.length;
    return this.check.items.map((item, index) => {
      const given = answers[item.id];
      return {
        id: item.id,
        label: format(this.ui.item_label, { number: index + 1, total }),
        correct: given === item.answer,
        you_said: given ? format(this.ui.you_said, { answer: this.word(given) }) : this.ui.as_not_answered,
        answer: format(this.ui.verdict_is, { answer: this.word(item.answer) }),
        cues: [...item.cues],
        explanation: item.explanation,
      };
    });
  }

  refresh() {
    const answers = this.answers();
    const done = Object.values(answers).filter((v) => v !== null).length;
    const total = this.check.items.length;
    const finished = done === total;
    this.state = {
      // No right/wrong here until the end: only which button was pressed.
      items: Object.entries(answers).map(([id, verdict]) => ({ id, verdict, locked: verdict !== null })),
      progress: format(this.ui.as_answered, { done, total }),
      finished,
      summary: this.summaryText(),
      before_after: this.beforeAfterText(),
      counts: finished && this.check.kind === "pre" ? this.counts() : null,
      review: finished ? this.review() : [],
      announce: this.announce,
      seq: this.seq,
      warning: null, // a browser record is never set aside
      error: this.record.error ? format(this.ui.record_unwritable, { reason: this.record.error }) : null,
    };
    this.changes.fire(this.state);
  }
}

export function createCheck(options) {
  const check = options.check ?? options.payload?.check;
  const engine = new CheckEngine({ ...options, check });
  return {
    getState: () => engine.state,
    handle: (message) => engine.handle(message),
    onChange: (callback) => engine.changes.add(callback),
  };
}
