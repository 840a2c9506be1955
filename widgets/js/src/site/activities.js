// One engine per activity type (widgets/<type>.py), and their table ENGINES (WIDGETS in
// widgets/lesson.py). Each class mirrors its Python widget method by method: _restore, _act,
// _feedback / _item_feedback, _text, _compute. See engine.js for why the engine exists.

import { normalize, toUnicode } from "./links.js";
import {
  ACTIVITY_PART,
  RATING_MIDDLE,
  answer,
  format,
  formatDecimal,
  isInt,
  pyRound,
  pyStr,
  ratingDiscernment,
  ratingValue,
} from "./score.js";
import {
  ActivityEngine,
  ItemSetEngine,
  SingleAnswerEngine,
  joinLines,
  judgement,
  valueOf,
} from "./base.js";

const MAX_LENGTH = 100; // widgets/passphrase.py
const CENTURY = 100 * 365.25 * 24 * 3600;
const SCENARIO = "offline_slow_hashing_1e4_per_second";

class ChoiceEngine extends SingleAnswerEngine {
  static type = "choice";

  restore() {
    const attempts = this.record.attempts(this.activity.id, ACTIVITY_PART);
    this.selected = attempts.length
      ? answer(this.activity, ACTIVITY_PART, valueOf(attempts[attempts.length - 1])).details.selected
      : [];
  }

  order() {
    // The order is the spec's (a shuffle made in Python from the record's creation time).
    const byId = new Map(this.activity.options.map((o) => [o.id, o]));
    return this.spec.options.map((o) => byId.get(o.id));
  }

  act(action, message) {
    if (this.locked(this.results())) return;
    if (action === "select") {
      const ids = message.ids;
      const known = new Set(this.activity.options.map((o) => o.id));
      if (!Array.isArray(ids) || !ids.every((i) => typeof i === "string" && known.has(i))) {
        throw new Error(`select needs option ids from ${[...known].sort()}`);
      }
      if (!this.activity.multiple && ids.length > 1) throw new Error("this question takes one answer");
      const order = this.order().map((o) => o.id);
      this.selected = [...new Set(ids)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    } else if (action === "check") {
      if (!this.selected.length) {
        this.notice = this.ui.need_choice;
        this.say(this.notice);
        return;
      }
      this.save(ACTIVITY_PART, { selected: [...this.selected] });
      this.say(this.text(this.feedback(this.results())));
    } else {
      throw new Error(`unknown action ${pyStr(action)} for a choice activity`);
    }
  }

  feedback(results) {
    if (!results.length) return null;
    const last = results[results.length - 1];
    const locked = this.locked(results);
    const chosen = new Set(last.details.selected);
    const correct = new Set(this.activity.correct);
    const options = [];
    for (const option of this.order()) {
      // Unchosen right answers are revealed only once the question is finished.
      if (chosen.has(option.id) || (locked && correct.has(option.id))) {
        options.push({
          id: option.id,
          text: option.text,
          feedback: option.feedback,
          chosen: chosen.has(option.id),
          mark: correct.has(option.id) ? "right" : "wrong",
        });
      }
    }
    return {
      ...judgement(this.ui, last.fraction, last.correct),
      options,
      explanation: locked ? (this.activity.explanation ?? null) : null,
      attempts_line: this.attemptsLine(results.length, locked, last.correct),
    };
  }

  text(feedback) {
    if (feedback === null) return "";
    const lines = [feedback.headline];
    for (const option of feedback.options) {
      lines.push(`${this.ui[`option_${option.mark}`]}: ${option.text} — ${option.feedback}`);
    }
    return [...lines, ...[feedback.explanation, feedback.attempts_line].filter(Boolean)].join("\n");
  }

  answerState() {
    return { selected: [...this.selected] };
  }
}

class VerdictEngine extends ItemSetEngine {
  static type = "verdict";

  // The answer as the learner sees it: the author's label, else the scale's usual word (_word).
  word(answer) {
    const chosen = this.activity.labels ? this.activity.labels[answer] : null;
    if (typeof chosen === "string" && chosen) return chosen;
    return Object.hasOwn(this.ui, answer) ? this.ui[answer] : answer;
  }

  act(action, message) {
    if (action !== "judge") throw new Error(`unknown action ${pyStr(action)} for a verdict activity`);
    const item = this.item(message.item);
    const allowed = this.activity._site.scales.answers[this.activity.scale]; // netwise.site.keys.scales
    if (!allowed.includes(message.verdict)) throw new Error(`verdict must be one of ${allowed}`);
    if (this.locked(this.results(item.id))) return;
    this.saveItem(item, { verdict: message.verdict });
  }

  itemFeedback(number, item) {
    const results = this.results(item.id);
    if (!results.length) return null;
    const last = results[results.length - 1];
    const locked = this.locked(results);
    const given = last.details.verdict;
    const said = this.word(pyStr(given));
    const feedback = {
      label: this.label(number),
      verdict: given,
      ...judgement(this.ui, last.fraction, last.correct),
      you_said: format(this.ui.you_said, { answer: said }),
      answer: null,
      cues: [],
      explanation: null,
      attempts_line: this.attemptsLine(results.length, locked, last.correct),
    };
    if (locked) {
      feedback.answer = format(this.ui.verdict_is, { answer: this.word(item.answer) });
      feedback.cues = [...item.cues];
      feedback.explanation = item.explanation;
    }
    return feedback;
  }

  itemAnswer(results) {
    return { verdict: results.length ? results[results.length - 1].details.verdict : null };
  }

  text(feedback) {
    const lines = [feedback.label, feedback.headline, feedback.you_said];
    if (feedback.answer) lines.push(feedback.answer);
    if (feedback.cues.length) lines.push(`${this.ui.cues}:`, ...feedback.cues.map((c) => `- ${c}`));
    return [...lines, ...[feedback.explanation, feedback.attempts_line].filter(Boolean)].join("\n");
  }
}

const FLAG_LABEL = { hit: "flag_hit", missed: "flag_missed", false_alarm: "flag_false_alarm", ok: "flag_ok" };

class RedFlagsEngine extends SingleAnswerEngine {
  static type = "red_flags";

  restore() {
    const attempts = this.record.attempts(this.activity.id, ACTIVITY_PART);
    this.markedSet = new Set(
      attempts.length ? answer(this.activity, ACTIVITY_PART, valueOf(attempts[attempts.length - 1])).details.marked : [],
    );
  }

  marked() {
    return this.activity.parts.filter((p) => this.markedSet.has(p.id)).map((p) => p.id);
  }

  act(action, message) {
    if (this.locked(this.results())) return;
    if (action === "toggle") {
      const ids = message.ids;
      const known = new Set(this.activity.parts.map((p) => p.id));
      if (!Array.isArray(ids) || !ids.every((i) => typeof i === "string" && known.has(i))) {
        throw new Error(`toggle needs part ids from ${[...known].sort()}`);
      }
      for (const id of ids) {
        if (this.markedSet.has(id)) this.markedSet.delete(id);
        else this.markedSet.add(id);
      }
    } else if (action === "check") {
      if (!this.markedSet.size) {
        this.notice = this.ui.need_mark;
        this.say(this.notice);
        return;
      }
      this.save(ACTIVITY_PART, { marked: this.marked() });
      this.say(this.text(this.feedback(this.results())));
    } else {
      throw new Error(`unknown action ${pyStr(action)} for a red-flags activity`);
    }
  }

  feedback(results) {
    if (!results.length) return null;
    const last = results[results.length - 1];
    const locked = this.locked(results);
    const marked = new Set(last.details.marked);
    const partsOut = [];
    for (const part of this.activity.parts) {
      let status;
      if (marked.has(part.id)) status = part.suspicious ? "hit" : "false_alarm";
      else if (!locked) continue; // unmarked parts are explained once the activity is finished
      else status = part.suspicious ? "missed" : "ok";
      partsOut.push({
        id: part.id,
        text: part.text,
        status,
        label: this.ui[FLAG_LABEL[status]],
        explanation: part.explanation,
      });
    }
    const { hits, total, false_alarms } = last.details;
    return {
      ...judgement(this.ui, last.fraction, last.correct),
      score: format(this.ui.flags_score, { hits, total, false_alarms }),
      parts: partsOut,
      attempts_line: this.attemptsLine(results.length, locked, last.correct),
    };
  }

  text(feedback) {
    if (feedback === null) return "";
    const lines = [feedback.headline, feedback.score];
    lines.push(...feedback.parts.map((p) => `${p.text} — ${p.label} ${p.explanation}`));
    if (feedback.attempts_line) lines.push(feedback.attempts_line);
    return lines.join("\n");
  }

  answerState() {
    return { marked: this.marked() };
  }
}

class BranchingEngine extends ActivityEngine {
  static type = "branching";

  nodes() {
    return new Map(this.activity.nodes.map((n) => [n.id, n]));
  }

  restore() {
    // Reopening shows the last conversation that reached an ending.
    const results = this.results();
    const last = results.length ? results[results.length - 1].details.path : [];
    this.path = last.length ? [...last] : [this.activity.start];
    const nodes = this.nodes();
    this.picked = this.path.slice(1).map((b, i) => nodes.get(this.path[i]).choices.findIndex((c) => c.goto === b));
  }

  locked(results) {
    // Every path is a finished try, right or not: only the number of tries ends it.
    return this.outOfTries(results);
  }

  current() {
    return this.nodes().get(this.path[this.path.length - 1]);
  }

  act(action, message) {
    if (action === "choose") {
      const index = message.index;
      const node = this.current();
      if (!node.choices.length) return; // at an ending: only restart moves on
      if (!isInt(index) || index < 0 || index >= node.choices.length) {
        throw new Error(`node '${node.id}' has ${node.choices.length} choices`);
      }
      const next = this.nodes().get(node.choices[index].goto);
      this.path.push(next.id);
      this.picked.push(index);
      if (!next.choices.length) this.save(ACTIVITY_PART, { path: [...this.path] });
      this.say(this.nodeText(next));
    } else if (action === "restart") {
      if (this.locked(this.results())) return;
      this.path = [this.activity.start];
      this.picked = [];
      this.say(this.current().text);
    } else {
      throw new Error(`unknown action ${pyStr(action)} for a branching activity`);
    }
  }

  ending(node) {
    if (node.choices.length) return null;
    const outcome = node.outcome || "unsafe";
    return { outcome, label: this.ui[`outcome_${outcome}`], feedback: node.feedback ?? null };
  }

  nodeText(node) {
    const ending = this.ending(node);
    if (ending === null) return node.text;
    return joinLines([node.text, ending.label, ending.feedback]);
  }

  restoredAnnouncement() {
    return this.path.length > 1 ? this.nodeText(this.current()) : "";
  }

  compute() {
    const nodes = this.nodes();
    const conversation = [];
    this.path.forEach((nodeId, i) => {
      const node = nodes.get(nodeId);
      conversation.push({ key: `n${i}`, speaker: node.speaker, text: node.text });
      if (i + 1 < this.path.length) {
        conversation.push({ key: `c${i}`, speaker: "me", text: node.choices[this.picked[i]].text });
      }
    });
    const current = this.current();
    const results = this.results();
    const locked = this.locked(results);
    return {
      path: [...this.path],
      conversation,
      choices: current.choices.map((c, index) => ({ index, text: c.text })),
      ending: this.ending(current),
      attempts_used: results.length,
      locked,
      can_restart: !locked && this.path.length > 1,
    };
  }
}

/** A crack time in words of the lesson language (babel.dates.format_timedelta, threshold 1). */
export function guessTime(seconds, ui, durations) {
  if (seconds < 1) return ui.time_instant;
  if (seconds >= CENTURY) return ui.time_centuries;
  const total = Math.round(seconds * 1e6) / 1e6; // timedelta keeps microseconds
  for (const [unit, perUnit, patterns] of durations.units) {
    let value = total / perUnit;
    if (value >= 1 || unit === "second") {
      if (unit === "second" && value > 0) value = Math.max(1, value);
      value = pyRound(value);
      const form = durations.plural[String(value)] || "other";
      const pattern = patterns[form] || patterns.other;
      return pattern.replace("{0}", String(value));
    }
  }
  return "";
}

// zxcvbn-ts gives its feedback as keys; these are the interface strings for the same advice
// (widgets/passphrase.py ESTIMATOR_TEXT maps Python zxcvbn's English sentences to them).
const ZXCVBN_TS_WARNINGS = {
  straightRow: "zx_rows",
  keyPattern: "zx_keyboard",
  simpleRepeat: "zx_repeat_char",
  extendedRepeat: "zx_repeat_word",
  sequences: "zx_sequence",
  recentYears: "zx_recent_years",
  dates: "zx_dates",
  topTen: "zx_top10",
  topHundred: "zx_top100",
  common: "zx_very_common",
  similarToCommon: "zx_similar_common",
  wordByItself: "zx_word_alone",
  namesByThemselves: "zx_names_alone",
  commonNames: "zx_names",
};
const ZXCVBN_TS_SUGGESTIONS = {
  l33t: "zx_substitutions",
  reverseWords: "zx_reversed",
  allUppercase: "zx_all_upper",
  capitalization: "zx_capitals",
  dates: "zx_avoid_dates",
  recentYears: "zx_avoid_recent_years",
  associatedYears: "zx_avoid_your_years",
  sequences: "zx_avoid_sequences",
  repeated: "zx_avoid_repeats",
  longerKeyboardPattern: "zx_longer_keyboard",
  anotherWord: "zx_add_word",
  useWords: "zx_few_words",
  noNeed: "zx_no_symbols",
};

class PassphraseEngine extends SingleAnswerEngine {
  static type = "passphrase_lab";

  restore() {
    this.lastEstimate = null; // the last estimate, never the text it came from
  }

  /** Strength, crack time and reasons, in the lesson language, from the estimator's result:
   * Python zxcvbn's layout (the equivalence test) or zxcvbn-ts's (the page), whose feedback is keys. */
  describe(raw) {
    const site = this.activity._site;
    const score = Math.trunc(Number(raw.score));
    const seconds = Number(
      raw.crack_times_seconds?.[SCENARIO] ??
        raw.crackTimesSeconds?.offlineSlowHashingXPerSecond ??
        raw.crackTimes?.offlineSlowHashingXPerSecond?.seconds,
    );
    const feedback = raw.feedback || {};
    const local = (raw.sequence || []).some(
      (m) => m.dictionary_name === "user_inputs" || m.dictionaryName === "userInputs",
    );
    const key = (text, table) => {
      if (Object.hasOwn(site.estimator_text, text)) return site.estimator_text[text];
      return Object.hasOwn(table, text) ? table[text] : null;
    };
    let warning = key(feedback.warning || "", ZXCVBN_TS_WARNINGS);
    if (warning === null && local && score <= 2) warning = "zx_local_words"; // the estimator has no words for these
    const suggestions = (feedback.suggestions || []).map((s) => key(s, ZXCVBN_TS_SUGGESTIONS));
    const level = this.ui[`strength_${score}`];
    return {
      score,
      level,
      strength: format(this.ui.pass_strength, { level }),
      time: format(this.ui.pass_time, { time: guessTime(seconds, this.ui, site.durations) }),
      warning: warning ? this.ui[warning] : null,
      suggestions: suggestions.filter(Boolean).map((k) => this.ui[k]),
      reached: score >= this.activity.goal_score,
    };
  }

  act(action, message) {
    if (action === "estimate") {
      const text = message.text;
      delete message.text; // taken out, as the Python widget does
      if (typeof text !== "string") throw new Error("estimate needs the text as a string");
      const { seq, view } = message;
      // An async estimator may answer out of order: only the latest request sets what "check" records.
      const ticket = (this.ticket = (this.ticket ?? 0) + 1);
      const reply = (estimate) => {
        if (ticket === this.ticket) this.lastEstimate = estimate;
        const sent = { kind: "estimate", view: typeof view === "string" ? view : null, seq: isInt(seq) ? seq : 0, estimate };
        this.messages.fire(sent);
        return sent;
      };
      if (!text) return reply(null);
      if (!this.estimator) throw new Error("the estimator could not rate this text");
      let raw;
      try {
        const longest = this.activity._site.max_length ?? MAX_LENGTH; // code points, as Python slices
        raw = this.estimator(Array.from(text).slice(0, longest).join(""));
      } catch {
        throw new Error("the estimator could not rate this text");
      }
      if (raw && typeof raw.then === "function") {
        return raw.then(
          (value) => reply(this.describe(value)),
          () => {
            throw new Error("the estimator could not rate this text");
          },
        );
      }
      return reply(this.describe(raw));
    } else if (action === "check") {
      if (this.locked(this.results())) return undefined;
      if (this.lastEstimate === null) {
        this.notice = this.ui.pass_empty;
        this.say(this.notice);
        return undefined;
      }
      this.save(ACTIVITY_PART, { reached: Boolean(this.lastEstimate.reached), score: Math.trunc(this.lastEstimate.score) });
      this.say(this.text(this.feedback(this.results())));
      return undefined;
    }
    throw new Error(`unknown action ${pyStr(action)} for a passphrase lab`);
  }

  feedback(results) {
    if (!results.length) return null;
    const last = results[results.length - 1];
    const score = last.details.score;
    const goal = this.ui[`strength_${this.activity.goal_score}`];
    const level = score !== null ? this.ui[`strength_${score}`] : null;
    const head = last.correct
      ? format(this.ui.pass_reached, { level: level || goal })
      : format(this.ui.pass_not_reached, { level: level || this.ui.strength_0, goal });
    const locked = this.locked(results);
    return {
      headline: head,
      correct: last.correct,
      partly: false, // a goal strength is reached or not
      explanation: this.activity.explanation,
      attempts_line: this.attemptsLine(results.length, locked, last.correct),
    };
  }

  text(feedback) {
    if (feedback === null) return "";
    return joinLines([feedback.headline, feedback.explanation, feedback.attempts_line]);
  }
}

class PrivacySettingsEngine extends SingleAnswerEngine {
  static type = "privacy_settings";

  restore() {
    const attempts = this.record.attempts(this.activity.id, ACTIVITY_PART);
    // A fresh panel has none chosen, so no default quietly counts as an answer.
    this.chosenMap = attempts.length
      ? { ...answer(this.activity, ACTIVITY_PART, valueOf(attempts[attempts.length - 1])).details.settings }
      : {};
  }

  chosen() {
    const out = {};
    for (const s of this.activity.settings) if (Object.hasOwn(this.chosenMap, s.id)) out[s.id] = this.chosenMap[s.id];
    return out;
  }

  act(action, message) {
    if (this.locked(this.results())) return;
    if (action === "set") {
      const setting = this.activity.settings.find((s) => s.id === message.setting);
      if (!setting) throw new Error(`no setting ${pyStr(message.setting)} in activity '${this.activity.id}'`);
      const option = message.option;
      if (!setting.options.some((o) => o.id === option)) {
        throw new Error(`setting '${setting.id}' has options ${setting.options.map((o) => o.id)}`);
      }
      this.chosenMap[setting.id] = String(option);
    } else if (action === "check") {
      if (this.activity.settings.some((s) => !Object.hasOwn(this.chosenMap, s.id))) {
        this.notice = this.ui.ps_need_all;
        this.say(this.notice);
        return;
      }
      this.save(ACTIVITY_PART, { settings: this.chosen() });
      this.say(this.text(this.feedback(this.results())));
    } else {
      throw new Error(`unknown action ${pyStr(action)} for a privacy settings activity`);
    }
  }

  feedback(results) {
    if (!results.length) return null;
    const last = results[results.length - 1];
    const locked = this.locked(results);
    const chosen = last.details.settings;
    const settings = this.activity.settings.map((setting) => {
      const option = setting.options.find((o) => Object.hasOwn(chosen, setting.id) && o.id === chosen[setting.id]);
      const fits = Boolean(last.details.fits[setting.id]);
      let better = null;
      if (locked && !fits) {
        const options = setting.options.filter((o) => setting.best.includes(o.id)).map((o) => o.text);
        better = format(this.ui.ps_better, { options: options.join(", ") });
      }
      return {
        id: setting.id,
        option: option ? option.id : null,
        chosen: format(this.ui.ps_chosen, { setting: setting.label, option: option ? option.text : "—" }),
        who: option ? format(this.ui.ps_who_sees, { audience: option.audience }) : null,
        fits,
        verdict: this.ui[fits ? "ps_fits" : "ps_not_fit"],
        better,
        explanation: fits || locked ? setting.explanation : null,
      };
    });
    return {
      ...judgement(this.ui, last.fraction, last.correct),
      score: format(this.ui.ps_score, { right: last.details.right, total: last.details.total }),
      settings,
      attempts_line: this.attemptsLine(results.length, locked, last.correct),
    };
  }

  text(feedback) {
    if (feedback === null) return "";
    const lines = [feedback.headline, feedback.score];
    for (const s of feedback.settings) {
      lines.push([s.chosen, "—", s.who, s.verdict, s.better, s.explanation].filter(Boolean).join(" "));
    }
    if (feedback.attempts_line) lines.push(feedback.attempts_line);
    return lines.join("\n");
  }

  answerState() {
    return { settings: this.chosen() };
  }
}

class LinkInspectorEngine extends ItemSetEngine {
  static type = "link_inspector";

  act(action, message) {
    if (action !== "answer") throw new Error(`unknown action ${pyStr(action)} for a link inspector`);
    const item = this.item(message.item);
    const domain = message.domain ?? null;
    const genuine = message.genuine ?? null;
    if (domain !== null && typeof domain !== "string") throw new Error("domain must be text");
    if (genuine !== null && typeof genuine !== "boolean") throw new Error("genuine must be true or false");
    if (this.locked(this.results(item.id))) return;
    const picked = normalize(domain, item.link.known);
    if (!picked || genuine === null) {
      this.notice = this.ui.li_need_both;
      this.say(this.notice);
      return;
    }
    this.saveItem(item, { domain: picked, genuine });
  }

  itemFeedback(number, item) {
    const results = this.results(item.id);
    if (!results.length) return null;
    const last = results[results.length - 1];
    const locked = this.locked(results);
    const given = last.details;
    const feedback = {
      label: this.label(number),
      domain: given.domain,
      genuine: given.genuine,
      ...judgement(this.ui, last.fraction, last.correct),
      you_picked: format(this.ui.li_you_picked, { domain: toUnicode(given.domain, item.link.known) }),
      you_said: format(this.ui.you_said, { answer: given.genuine ? this.ui.li_yes : this.ui.li_no }),
      reveal: [],
      explanation: null,
      attempts_line: this.attemptsLine(results.length, locked, last.correct),
    };
    if (locked) {
      // The real site and the explanation give the answer away: only once final.
      const link = item.link;
      const reveal = [format(this.ui.li_opens, { domain: link.domain_shown })];
      if (link.lookalike) reveal.push(format(this.ui.li_punycode, { ascii: link.domain, shown: link.domain_shown }));
      reveal.push(format(this.ui[item.genuine ? "li_belongs" : "li_not_belongs"], { claims: item.claims }));
      if (item.real_domain && !item.genuine) {
        reveal.push(format(this.ui.li_real_site, { claims: item.claims, domain: item.real_domain }));
      }
      feedback.reveal = reveal;
      feedback.explanation = item.explanation;
    }
    return feedback;
  }

  itemAnswer(results) {
    const last = results.length ? results[results.length - 1].details : {};
    return { domain: last.domain ?? null, genuine: last.genuine ?? null };
  }

  text(feedback) {
    const lines = [feedback.label, feedback.headline, feedback.you_picked, feedback.you_said, ...feedback.reveal];
    return [...lines, ...[feedback.explanation, feedback.attempts_line].filter(Boolean)].join("\n");
  }
}

class RatingEngine extends ItemSetEngine {
  static type = "rating";

  number(value) {
    return formatDecimal(value, 1, this.activity._site.decimal);
  }

  firstRatings() {
    const out = {};
    for (const item of this.activity.items) {
      const results = this.results(item.id);
      out[item.id] = results.length ? results[0].details.rating : null;
    }
    return out;
  }

  locked(results) {
    // A rating is never "right", so only the number of tries ends an item.
    return this.outOfTries(results);
  }

  act(action, message) {
    if (action !== "rate") throw new Error(`unknown action ${pyStr(action)} for a rating activity`);
    const item = this.item(message.item);
    const rating = message.rating ?? null;
    if (rating !== null && ratingValue({ rating }) === null) throw new Error("rating must be a whole number from 1 to 7");
    if (this.locked(this.results(item.id))) return;
    if (rating === null) {
      this.notice = this.ui.rt_need;
      this.say(this.notice);
      return;
    }
    this.saveItem(item, { rating });
  }

  itemFeedback(number, item) {
    const results = this.results(item.id);
    if (!results.length) return null;
    const last = results[results.length - 1];
    const locked = this.locked(results);
    const rating = last.details.rating;
    const feedback = {
      label: this.label(number),
      rating,
      you_rated: format(this.ui.rt_you_rated, { rating }),
      headline: null,
      correct: null,
      partly: false, // a rating is on the right side of the middle or not: no partly right style
      truth: null,
      cues: [],
      explanation: null,
      attempts_line: this.attemptsLine(results.length, locked, true), // nothing was wrong
    };
    if (locked) {
      const middle = rating === RATING_MIDDLE;
      feedback.headline = this.ui[middle ? "rt_middle" : last.correct ? "rt_good" : "rt_off"];
      feedback.correct = last.correct;
      feedback.truth = this.ui[item.truth ? "rt_is_true" : "rt_is_false"];
      feedback.cues = [...item.cues];
      feedback.explanation = item.explanation;
    }
    return feedback;
  }

  itemAnswer(results) {
    return { rating: results.length ? results[results.length - 1].details.rating : null };
  }

  summary(items) {
    if (!items.every((i) => i.locked)) return null;
    const d = ratingDiscernment(this.activity, this.firstRatings());
    return {
      means: format(this.ui.rt_summary, { true_mean: this.number(d.mean_true), false_mean: this.number(d.mean_false) }),
      discernment: format(this.ui.rt_discernment, { percent: this.number(pyRound(d.fraction * 100)) }),
      fraction: d.fraction,
    };
  }

  text(feedback) {
    const lines = [feedback.label, feedback.you_rated, ...[feedback.headline, feedback.truth].filter(Boolean)];
    if (feedback.cues.length) lines.push(`${this.ui.cues}:`, ...feedback.cues.map((c) => `- ${c}`));
    return [...lines, ...[feedback.explanation, feedback.attempts_line].filter(Boolean)].join("\n");
  }

  summaryText(summary) {
    return `${summary.means}\n${summary.discernment}`;
  }
}

// The engine's table of activity types (WIDGETS in widgets/lesson.py).
export const ENGINES = {
  choice: ChoiceEngine,
  verdict: VerdictEngine,
  red_flags: RedFlagsEngine,
  branching: BranchingEngine,
  passphrase_lab: PassphraseEngine,
  privacy_settings: PrivacySettingsEngine,
  link_inspector: LinkInspectorEngine,
  rating: RatingEngine,
};
