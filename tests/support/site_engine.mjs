// Node side of tests/integration/test_site_engine.py: runs the static site's browser engine
// (widgets/js/src/site/engine.js) over a batch of cases read as JSON from stdin and writes,
// for each case, the state after every message, the final record and its score, as JSON.
// One process per language: starting Node per case would cost more than the cases.

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const input = JSON.parse(readFileSync(0, "utf8"));
const { createActivity, createCheck, createSummary, LocalRecord, score } = await import(
  pathToFileURL(input.engine).href
);

function clock() {
  let tick = 0;
  return () => new Date(Date.UTC(2026, 0, 1) + 1000 * tick++).toISOString().replace(/Z$/, "000Z");
}

const copy = (value) => (value === undefined ? null : JSON.parse(JSON.stringify(value)));

async function step(engine, message, sent) {
  sent.length = 0;
  try {
    const reply = await engine.handle(copy(message));
    return { ok: true, state: copy(engine.getState()), sent: copy(sent), reply: reply ? copy(reply) : null };
  } catch (err) {
    return { ok: false, error: String(err.message || err) };
  }
}

function fakeEstimator(table, later = false) {
  const estimate = (text) => {
    if (!Object.hasOwn(table, text)) throw new Error("no fake estimate for this text");
    return copy(table[text]);
  };
  // As the page's estimator, loaded on first use: a Promise.
  return later ? async (text) => estimate(text) : estimate;
}

async function runActivity(c) {
  const record = new LocalRecord(undefined, null, { clock: clock(), lessonId: c.lesson, lang: c.lang });
  const options = { activity: c.activity, spec: c.spec, ui: c.ui, lang: c.lang, lessonId: c.lesson };
  const estimate = fakeEstimator(c.estimates || {}, c.async_estimator);
  const engine = createActivity({ ...options, record, estimate, maxStored: c.max_stored });
  const sent = [];
  engine.onMessage((message) => sent.push(copy(message)));
  const out = { initial: copy(engine.getState()), steps: [] };
  for (const message of c.messages) out.steps.push(await step(engine, message, sent));
  out.answers = copy(record.data.answers);
  out.score = score.activityScore(c.activity, record.answers(c.activity.id));
  // Reopened on the Python side's final record: the same restored state.
  const again = new LocalRecord(copy(c.restore), null, { clock: clock() });
  out.restored = copy(createActivity({ ...options, record: again, estimate, maxStored: c.max_stored }).getState());
  return out;
}

async function runCheck(c) {
  const record = new LocalRecord(undefined, null, { clock: clock() });
  const engine = createCheck({ check: c.check, spec: c.spec, ui: c.ui, lang: c.lang, record });
  const out = { initial: copy(engine.getState()), steps: [] };
  for (const message of c.messages) out.steps.push(await step(engine, message, []));
  out.answers = copy(record.data.answers);
  const again = new LocalRecord(copy(c.restore), null, { clock: clock() });
  out.restored = copy(createCheck({ check: c.check, spec: c.spec, ui: c.ui, lang: c.lang, record: again }).getState());
  return out;
}

async function runLesson(c) {
  const record = new LocalRecord(undefined, null, { clock: clock() });
  const engines = {};
  for (const a of c.activities) {
    const estimate = fakeEstimator(c.estimates || {});
    engines[a.activity.id] = createActivity({ ...a, lang: c.lang, lessonId: c.lesson.id, record, estimate });
  }
  const common = { lesson: c.lesson, ui: c.ui, record, inMemory: c.in_memory, warning: c.warning };
  const summary = createSummary({ ...common, kind: "summary" });
  const header = createSummary({ ...common, kind: "header" });
  const state = () => ({ summary: copy(summary.getState()), header: copy(header.getState()) });
  const out = { initial: state(), steps: [] };
  for (const [activityId, message] of c.steps) {
    try {
      await engines[activityId].handle(copy(message));
      out.steps.push({ ok: true, ...state() });
    } catch (err) {
      out.steps.push({ ok: false, error: String(err.message || err) });
    }
  }
  return out;
}

// Python's round() and Babel's decimals over many values (ties included).
async function runNumbers(c) {
  const { pyRound, formatDecimal } = score;
  return {
    values: c.values.map((x) => [
      pyRound(x, 4),
      pyRound(x, 2),
      pyRound(x),
      formatDecimal(x, 1, c.decimal),
      formatDecimal(x, 2, c.decimal),
    ]),
  };
}

const RUN = { activity: runActivity, check: runCheck, lesson: runLesson, numbers: runNumbers };
const results = [];
for (const c of input.cases) {
  try {
    results.push(await RUN[c.kind](c));
  } catch (err) {
    results.push({ crashed: String((err && err.stack) || err) });
  }
}
process.stdout.write(JSON.stringify(results));
