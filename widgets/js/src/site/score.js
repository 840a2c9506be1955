// The activity scorer of netwise/scoring/activity.py, in the browser, for the static lesson site.
//
// A static page has no kernel, so it scores answers itself. Every function here mirrors its
// Python namesake line by line, including Python's number rules (round() is half-even on the
// exact binary value, str.format fills {name} fields); tests/integration/test_site_engine.py
// drives both sides over the whole curriculum and fails the moment one changes alone.
// `activity` is the JSON of netwise.site.keys.activity_data: the curriculum model plus what
// Python computes with libraries (a link's registrable domain from the Public Suffix List).

import { normalize } from "./links.js";

export const ACTIVITY_PART = "_";
export const OUTCOME_SCORE = { safe: 1.0, partly: 0.5, unsafe: 0.0 };
export const RATING_MIN = 1;
export const RATING_MAX = 7;
export const RATING_MIDDLE = 4;

// --- Python's number and text rules ----------------------------------------------------

export function isDict(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Python's isinstance(x, int) and not bool, for JSON numbers (a whole number). */
export function isInt(value) {
  return typeof value === "number" && Number.isInteger(value);
}

/** round(x, digits) as Python does it: the exact binary value, ties to even. */
export function pyRound(x, digits = 0) {
  if (!Number.isFinite(x)) return x;
  const wide = Math.abs(x).toFixed(digits + 30); // exact enough to see a true tie
  const cut = wide.indexOf(".") + (digits === 0 ? 0 : digits + 1);
  const rest = wide.slice(digits === 0 ? wide.indexOf(".") + 1 : cut);
  if (/^50*$/.test(rest)) {
    const kept = wide.slice(0, digits === 0 ? wide.indexOf(".") : cut);
    const last = Number(kept[kept.length - 1]);
    const step = 10 ** -digits;
    const down = Number(kept);
    const value = last % 2 === 0 ? down : down + step;
    return Math.sign(x) * Number(value.toFixed(digits));
  }
  return Number(x.toFixed(digits)) + 0; // + 0 turns -0 into 0
}

/** str(x) of a JSON value the way Python prints it (ids in records are strings). */
export function pyStr(value) {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  return String(value);
}

/** str.format with named fields only (the interface strings use nothing else). */
export function format(template, fields) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in fields)) throw new Error(`missing field ${name} for ${JSON.stringify(template)}`);
    const value = fields[name];
    return typeof value === "string" ? value : pyStr(value);
  });
}

/** Babel's format_decimal(value, "0.#" / "0.##", locale): half-even on str(value), no grouping. */
export function formatDecimal(value, maxFraction, decimalSymbol) {
  let [whole, frac = ""] = decimalString(Math.abs(value)).split(".");
  if (frac.length > maxFraction) {
    const kept = frac.slice(0, maxFraction);
    const rest = frac.slice(maxFraction);
    const digits = (whole + kept).split("").map(Number);
    const half = rest[0] === "5" && /^50*$/.test(rest);
    const up = rest[0] > "5" || (rest[0] === "5" && !half) || (half && digits[digits.length - 1] % 2 === 1);
    if (up) {
      let i = digits.length - 1;
      while (i >= 0 && digits[i] === 9) digits[i--] = 0;
      if (i < 0) digits.unshift(1);
      else digits[i] += 1;
    }
    const all = digits.join("");
    whole = all.slice(0, all.length - maxFraction) || "0";
    frac = all.slice(all.length - maxFraction);
  }
  frac = frac.replace(/0+$/, "");
  whole = whole.replace(/^0+(?=\d)/, "");
  const sign = value < 0 && (Number(whole) !== 0 || frac) ? "-" : "";
  return sign + whole + (frac ? decimalSymbol + frac : "");
}

function decimalString(x) {
  // Python's str(float) and JS's String(number) agree on the shortest digits; expand exponents.
  const text = String(x);
  if (!/e/i.test(text)) return text;
  return x.toFixed(20).replace(/0+$/, "").replace(/\.$/, "");
}

// --- the scorers -------------------------------------------------------------------------

function result(fraction, correct, details) {
  return { fraction, correct, details };
}

function ids(value, key) {
  const raw = isDict(value) ? (key in value ? value[key] : []) : [];
  return Array.isArray(raw) ? raw.map(pyStr) : [];
}

function unique(list) {
  return [...new Set(list)];
}

function findItem(activity, itemId) {
  return activity.items.find((i) => i.id === itemId) ?? null;
}

export function choice(activity, value) {
  const known = new Set(activity.options.map((o) => o.id));
  const selected = unique(ids(value, "selected")).filter((s) => known.has(s));
  const correct = new Set(activity.correct);
  const hits = selected.filter((s) => correct.has(s)).length;
  const wrong = selected.length - hits;
  let fraction;
  if (activity.multiple) fraction = Math.max(0.0, (hits - wrong) / correct.size);
  else fraction = JSON.stringify(selected) === JSON.stringify(activity.correct) ? 1.0 : 0.0;
  return result(pyRound(fraction, 4), fraction === 1.0, { selected, hits, wrong });
}

export function verdictItem(activity, itemId, value) {
  const item = findItem(activity, itemId);
  const given = isDict(value) && "verdict" in value ? value.verdict : null;
  const ok = item !== null && given === item.answer;
  return result(ok ? 1.0 : 0.0, ok, { verdict: given });
}

export function redFlags(activity, value) {
  const known = new Set(activity.parts.map((p) => p.id));
  const marked = new Set(ids(value, "marked").filter((m) => known.has(m)));
  const suspicious = new Set(activity.parts.filter((p) => p.suspicious).map((p) => p.id));
  const hits = [...marked].filter((m) => suspicious.has(m)).length;
  const falseAlarms = marked.size - hits;
  const fraction = Math.max(0.0, (hits - falseAlarms) / suspicious.size);
  return result(pyRound(fraction, 4), hits === suspicious.size && falseAlarms === 0, {
    hits,
    false_alarms: falseAlarms,
    total: suspicious.size,
    marked: [...marked].sort(),
  });
}

/** A path counts only if it follows the graph from the start to an ending. */
export function branching(activity, value) {
  const path = ids(value, "path");
  const nodes = new Map(activity.nodes.map((n) => [n.id, n]));
  let valid = path.length > 0 && path[0] === activity.start && path.every((p) => nodes.has(p));
  if (valid) {
    valid = path.slice(1).every((b, i) => nodes.get(path[i]).choices.some((c) => c.goto === b));
  }
  const end = valid ? nodes.get(path[path.length - 1]) : null;
  const outcome = end ? (end.outcome ?? null) : null;
  const fraction = OUTCOME_SCORE[outcome || ""] ?? 0.0;
  return result(fraction, outcome === "safe", { outcome, path: valid ? path : [] });
}

function strength(value) {
  const raw = isDict(value) ? value.score : undefined;
  return isInt(raw) && raw >= 0 && raw <= 4 ? raw : null;
}

/** The record holds the estimator's 0-4 score (never the text); the goal comes from the curriculum. */
export function passphrase(activity, value) {
  const score = strength(value);
  const reached = score !== null ? score >= activity.goal_score : isDict(value) && value.reached === true;
  return result(reached ? 1.0 : 0.0, reached, { reached, score });
}

export function privacySettings(activity, value) {
  let raw = isDict(value) ? value.settings : null;
  raw = isDict(raw) ? raw : {};
  const chosen = {};
  const fits = {};
  for (const setting of activity.settings) {
    const option = Object.hasOwn(raw, setting.id) ? raw[setting.id] : undefined;
    if (typeof option === "string" && setting.options.some((o) => o.id === option)) chosen[setting.id] = option;
    fits[setting.id] = Object.hasOwn(chosen, setting.id) && setting.best.includes(chosen[setting.id]);
  }
  const right = Object.values(fits).filter(Boolean).length;
  const total = activity.settings.length;
  return result(pyRound(right / total, 4), right === total, { settings: chosen, fits, right, total });
}

/** Half for finding the real site (registrable domain), half for saying whether it is genuine. */
export function linkItem(activity, itemId, value) {
  const item = findItem(activity, itemId);
  const domain = normalize(isDict(value) ? value.domain : null, item ? item.link.known : {});
  let genuine = isDict(value) && "genuine" in value ? value.genuine : null;
  genuine = typeof genuine === "boolean" ? genuine : null;
  const real = item !== null ? item.link.domain : "";
  const domainOk = Boolean(real) && domain === real;
  const genuineOk = item !== null && genuine === item.genuine;
  const fraction = (Number(domainOk) + Number(genuineOk)) / 2;
  return result(fraction, domainOk && genuineOk, {
    domain,
    genuine,
    domain_ok: domainOk,
    genuine_ok: genuineOk,
    real,
  });
}

export function ratingValue(value) {
  const raw = isDict(value) ? value.rating : undefined;
  return isInt(raw) && raw >= RATING_MIN && raw <= RATING_MAX ? raw : null;
}

/** One rating: how far it leans the right way (7 for a true item, 1 for a false one = 1.0). */
export function ratingItem(activity, itemId, value) {
  const item = findItem(activity, itemId);
  const rating = ratingValue(value);
  if (item === null || rating === null) return result(0.0, false, { rating });
  const span = RATING_MAX - RATING_MIN;
  const lean = item.truth ? (rating - RATING_MIN) / span : (RATING_MAX - rating) / span;
  return result(pyRound(lean, 4), lean > 0.5, { rating });
}

function mean(values) {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : RATING_MIDDLE;
}

/** Mean rating of true items minus mean rating of false items, scaled to 0-1. */
export function ratingDiscernment(activity, ratings) {
  const of = (item) => ratings[item.id] || RATING_MIDDLE;
  const meanTrue = mean(activity.items.filter((i) => i.truth).map(of));
  const meanFalse = mean(activity.items.filter((i) => !i.truth).map(of));
  const diff = meanTrue - meanFalse;
  const fraction = Math.max(0.0, diff / (RATING_MAX - RATING_MIN));
  return { mean_true: meanTrue, mean_false: meanFalse, diff, fraction: pyRound(fraction, 4) };
}

const whole = (scorer) => (activity, part, value) => scorer(activity, value);

// Scoring's table of activity types (SCORERS in netwise/scoring/activity.py).
export const SCORERS = {
  choice: whole(choice),
  verdict: verdictItem,
  red_flags: whole(redFlags),
  branching: whole(branching),
  passphrase_lab: whole(passphrase),
  privacy_settings: whole(privacySettings),
  link_inspector: linkItem,
  rating: ratingItem,
};
const ITEM_SETS = new Set(["verdict", "link_inspector", "rating"]);

export function answer(activity, part, value) {
  const scorer = SCORERS[activity.type];
  if (!scorer) throw new Error(`no scorer for activity type ${activity.type}`);
  return scorer(activity, part, value);
}

/** The record keys an activity is answered under. */
export function parts(activity) {
  return ITEM_SETS.has(activity.type) ? activity.items.map((i) => i.id) : [ACTIVITY_PART];
}

/** Marks for one activity from its recorded attempts: first attempt per part counts. */
export function activityScore(activity, answers) {
  const keys = parts(activity);
  const fractions = [];
  const firsts = {};
  for (const key of keys) {
    const attempts = (Object.hasOwn(answers, key) && answers[key]) || [];
    if (attempts.length && isDict(attempts[0])) {
      const value = Object.hasOwn(attempts[0], "value") ? attempts[0].value : null;
      firsts[key] = value;
      fractions.push(answer(activity, key, value).fraction);
    } else {
      fractions.push(0.0);
    }
  }
  let fraction = fractions.reduce((a, b) => a + b, 0) / keys.length;
  if (activity.type === "rating") {
    const ratings = Object.fromEntries(Object.entries(firsts).map(([k, v]) => [k, ratingValue(v)]));
    fraction = ratingDiscernment(activity, ratings).fraction;
  }
  return {
    activity_id: activity.id,
    type: activity.type,
    points: activity.points,
    score: pyRound(activity.points * fraction, 2),
    answered: Object.keys(firsts).length > 0,
    first_answers: firsts,
  };
}
