// The base engines of the static site (widgets/base.py): what every activity type shares.
//
// ActivityEngine is ActivityWidget (handle, save, attempts line, live-region text, state),
// SingleAnswerEngine and ItemSetEngine are their Python namesakes; activities.js has one
// subclass per activity type. See engine.js for why the engine exists.

import { LocalRecord } from "./record.js";
import { ACTIVITY_PART, answer, format, isDict, pyStr } from "./score.js";

export const DEFAULT_MAX_ATTEMPTS = 20;

/** The verdict scales as the page data gives them (netwise.site.keys.scales: Python's SCALE_ANSWERS
 * and SIGNAL_ANSWER, never a copy here), with assessment.py's SIGNAL_ANSWERS and NOISE_ANSWERS. */
export function scaleTables(scales) {
  const signals = Object.values(scales.signal);
  const noise = Object.values(scales.answers)
    .flat()
    .filter((a) => !signals.includes(a));
  return { answers: scales.answers, signal: scales.signal, signals, noise };
}

/** widgets/base.py judgement: the headline and the outcome flags the page styles by, chosen together. */
export function judgement(ui, fraction, correct) {
  const partly = !correct && fraction > 0;
  return { headline: correct ? ui.correct : partly ? ui.partly : ui.incorrect, correct, partly };
}

export function valueOf(attempt) {
  return isDict(attempt) && Object.hasOwn(attempt, "value") ? attempt.value : null;
}

export function badMessage(message) {
  return !isDict(message) || typeof message.action !== "string";
}

export function joinLines(values) {
  return values.filter(Boolean).join("\n");
}

export function listeners() {
  const list = [];
  return { add: (cb) => list.push(cb), fire: (value) => list.forEach((cb) => cb(value)) };
}

// --- the base widgets (widgets/base.py) ---------------------------------------------------

export class ActivityEngine {
  constructor({ activity, spec, ui, lang = "en", lessonId = "", record, estimate, maxStored }) {
    if (activity.type !== this.constructor.type) {
      throw new TypeError(`${this.constructor.name} shows '${this.constructor.type}' activities, not '${activity.type}'`);
    }
    this.activity = activity;
    this.spec = spec;
    this.ui = ui;
    this.lang = lang;
    this.lessonId = lessonId;
    this.record = record || new LocalRecord(undefined, null);
    this.estimator = estimate || null;
    this.maxStored = Math.max(2, maxStored ?? DEFAULT_MAX_ATTEMPTS);
    this.seq = 0;
    this.notice = null;
    this.announce = "";
    this.changes = listeners();
    this.messages = listeners();
    this.restore();
    this.announce = this.restoredAnnouncement();
    this.refresh();
  }

  restore() {}

  restoredAnnouncement() {
    return "";
  }

  results(part = ACTIVITY_PART) {
    return this.record.attempts(this.activity.id, part).map((a) => answer(this.activity, part, valueOf(a)));
  }

  locked(results) {
    return results.some((r) => r.correct) || this.outOfTries(results);
  }

  outOfTries(results) {
    const limit = this.activity.attempts;
    return limit !== null && limit !== undefined && results.length >= limit;
  }

  handle(message) {
    if (badMessage(message)) throw new Error("not a NetWise widget message");
    this.notice = null;
    const reply = this.act(message.action, message);
    if (reply && typeof reply.then === "function") {
      return reply.then((sent) => {
        this.refresh();
        return sent;
      });
    }
    this.refresh();
    return reply;
  }

  save(part, value) {
    this.record.add(this.activity.id, part, value);
    if (this.activity.attempts === null || this.activity.attempts === undefined) {
      this.record.cap(this.activity.id, part, this.maxStored);
    }
    this.record.notify();
  }

  say(text) {
    this.announce = text;
    this.seq += 1;
  }

  attemptsLine(used, locked, correct) {
    const limit = this.activity.attempts;
    if (locked) return correct ? null : this.ui.no_attempts_left;
    if (limit === null || limit === undefined || used === 0) return null;
    return format(this.ui.attempts_left, { count: limit - used });
  }

  refresh() {
    const error = this.record.error ? format(this.ui.record_unwritable, { reason: this.record.error }) : null;
    this.state = { ...this.compute(), announce: this.announce, seq: this.seq, notice: this.notice, error };
    this.changes.fire(this.state);
  }
}

export class SingleAnswerEngine extends ActivityEngine {
  answerState() {
    return {};
  }

  restoredAnnouncement() {
    return this.text(this.feedback(this.results()));
  }

  compute() {
    const results = this.results();
    return {
      ...this.answerState(),
      attempts_used: results.length,
      locked: this.locked(results),
      feedback: this.feedback(results),
    };
  }
}

export class ItemSetEngine extends ActivityEngine {
  restore() {
    // The live region repeats the most recently answered item after a reopen.
    let best = null;
    for (const item of this.activity.items) {
      const attempts = this.record.attempts(this.activity.id, item.id);
      if (!attempts.length) continue;
      const last = attempts[attempts.length - 1];
      const stamp = [isDict(last) && Object.hasOwn(last, "at") ? last.at : "", item.id];
      if (best === null || stamp[0] > best[0] || (stamp[0] === best[0] && stamp[1] > best[1])) best = stamp;
    }
    this.lastItem = best ? best[1] : null;
  }

  item(itemId) {
    const found = this.activity.items.find((i) => i.id === itemId);
    if (!found) throw new Error(`no item ${pyStr(itemId)} in activity '${this.activity.id}'`);
    return found;
  }

  itemsState() {
    return this.activity.items.map((item, index) => {
      const results = this.results(item.id);
      return {
        id: item.id,
        ...this.itemAnswer(results),
        attempts_used: results.length,
        locked: this.locked(results),
        feedback: this.itemFeedback(index + 1, item),
      };
    });
  }

  summary(items) {
    if (!items.every((i) => i.locked)) return null;
    const right = this.activity.items.filter((item) => this.results(item.id)[0].correct).length;
    return format(this.ui.items_score, { right, total: items.length });
  }

  summaryText(summary) {
    return String(summary);
  }

  label(number) {
    return format(this.ui.item_label, { number, total: this.activity.items.length });
  }

  announcement() {
    if (this.lastItem === null) return "";
    const items = this.itemsState();
    const current = items.find((i) => i.id === this.lastItem);
    const text = this.text(current.feedback);
    const summary = this.summary(items);
    return summary ? `${text}\n${this.summaryText(summary)}` : text;
  }

  restoredAnnouncement() {
    return this.announcement();
  }

  compute() {
    const items = this.itemsState();
    return { items, locked: items.every((i) => i.locked), summary: this.summary(items) };
  }

  saveItem(item, value) {
    this.save(item.id, value);
    this.lastItem = item.id;
    this.say(this.announcement());
  }
}
