// The answer record of a static lesson page (netwise/scoring/record.py's AnswerRecord, in memory).
//
// Same layout as AnswerRecord.data, {"answers": {activity_id: {part: [{"value", "at"}]}}}, so the
// Python scorer could read it and the equivalence test can hand one side's record to the other.
// It holds choices and times only. Where it is kept (browser storage) is the page's business:
// `onWrite(data)` is called after every change; if it throws (storage full or blocked) the answer
// stays in memory and `error` says why, as AnswerRecord.error does for a file.

export const KIND = "netwise-answers";
export const SCHEMA = 1;

/** An ISO time like Python's record.now(): 2026-12-05T16:30:00.123000Z. */
export function isoNow() {
  return new Date().toISOString().replace(/Z$/, "000Z");
}

export class LocalRecord {
  constructor(data, onWrite, { clock = isoNow, lessonId = "", lang = "" } = {}) {
    const stamp = clock();
    this._data =
      data && typeof data === "object" && data.answers && typeof data.answers === "object"
        ? data
        : { kind: KIND, schema: SCHEMA, lesson: lessonId, lang, created: stamp, updated: stamp, answers: {} };
    this._onWrite = onWrite || null;
    this._clock = clock;
    this._listeners = [];
    this.error = null;
  }

  get data() {
    return this._data;
  }

  attempts(activityId, part = "_") {
    const parts = this._data.answers[activityId];
    return parts && Object.hasOwn(parts, part) ? [...parts[part]] : [];
  }

  answers(activityId) {
    const parts = this._data.answers[activityId] || {};
    return Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, [...v]]));
  }

  /** Append one attempt and save; returns the attempt as stored. */
  add(activityId, part, value) {
    const attempt = { value, at: this._clock() };
    const parts = (this._data.answers[activityId] ??= {});
    (parts[part] ??= []).push(attempt);
    this._data.updated = attempt.at;
    this._write();
    return attempt;
  }

  /** Keep the first attempt and the latest `cap - 1` (unlimited tries: base.py _cap_attempts). */
  cap(activityId, part, cap) {
    const kept = this._data.answers[activityId]?.[part];
    if (kept && kept.length > cap) {
      kept.splice(1, kept.length - cap);
      this._write();
    }
  }

  /** Forget every answer (the visitor's "clear my answers"). */
  clear() {
    this._data.answers = {};
    this._data.updated = this._clock();
    this._write();
    this.notify();
  }

  /** Call `callback()` after every change (the lesson summary keeps itself up to date). */
  listen(callback) {
    this._listeners.push(callback);
  }

  /** Tell the listeners that an answer was added (the engine calls it once an answer is stored). */
  notify() {
    for (const callback of this._listeners) callback();
  }

  _write() {
    if (!this._onWrite) return;
    try {
      this._onWrite(this._data);
      this.error = null;
    } catch (err) {
      this.error = String((err && err.message) || err);
    }
  }
}
