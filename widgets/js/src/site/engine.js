// The activity engine of the static lesson site: the Python widgets' state machines in the browser.
//
// Why: a public lesson page on a static host or CDN has no kernel. In the served app every
// activity's `state` (answers so far, feedback, tries, locks, live-region text) is computed by
// a Python widget (widgets/*.py) and netwise.js only draws it; here the same `state` is computed
// by this module, from the same record layout, so netwise.js draws it unchanged. Pure ES module:
// no DOM, no network, no eval. tests/integration/test_site_engine.py drives the Python widgets and
// this engine with the same messages over every activity of the curriculum, in every language,
// and asserts equal `state` after every step.
//
// Modules: score.js (netwise/scoring/activity.py), record.js (the answer record, LocalRecord),
// links.js (domain text), base.js (widgets/base.py), activities.js (one engine per type, ENGINES),
// summary.js (the lesson header and summary), check.js (widgets/assessment.py).
//
// Interface (netwise/site's export and page use it):
//   createActivity({ activity, spec, ui, lang, lessonId, record, estimate, maxStored })
//     activity: netwise.site.keys.activity_data(activity, lang); spec/ui: the widget's spec and full ui;
//     record: a LocalRecord shared by the lesson's widgets; estimate(text) -> zxcvbn-style result
//     (sync or a Promise) for the passphrase lab; maxStored: attempts kept per part with unlimited
//     tries (NETWISE_MAX_ATTEMPTS, default 20).
//     -> { activity, getState(), handle(message), onChange(cb(state)), onMessage(cb(msg)) }
//     handle throws an Error where Python raises ValueError. It returns undefined, except for the
//     passphrase lab's "estimate": the reply Python sends as a custom message ({kind: "estimate",
//     view, seq, estimate}), or a Promise of it when the estimator is async; onMessage gets it too.
//   createSummary({ kind, lesson | activities, site, ui, record, inMemory, warning })   (widgets/lesson.py)
//     kind "header" (LessonHeader.state) or "summary" (LessonSummary.state) for getState();
//     lesson: netwise.site.keys.lesson_data(lesson); without it, activities: the page's
//     createActivity results, and site ({decimal, score}) from keys.widget_payload. inMemory and
//     warning as in widget_payload. -> { getState(), getHeaderState(), getSummaryState(),
//     onChange(cb), refresh() }; it follows the record: every answer added updates it.
//   createCheck({ check | payload, spec, ui, lang, record })   (widgets/assessment.py)
//     check: netwise.site.keys.check_data(widget) (or payload.check); record: the form page's record
//     -> { getState(), handle(message), onChange(cb) }; the pre form's counts come back through
//        {"action": "before", "counts": ...} exactly as the served page sends them.
//   Not ported: the passphrase lab's estimate throttle (it protects a kernel; there is none here).

import { LocalRecord } from "./record.js";
import { ENGINES } from "./activities.js";

export { LocalRecord };
export { ENGINES, guessTime } from "./activities.js";
export { createSummary } from "./summary.js";
export { createCheck } from "./check.js";
export * as score from "./score.js";

function facade(engine) {
  return {
    activity: engine.activity,
    getState: () => engine.state,
    handle: (message) => engine.handle(message),
    onChange: (callback) => engine.changes.add(callback),
    onMessage: (callback) => engine.messages.add(callback),
  };
}

export function createActivity(options) {
  const Engine = ENGINES[options.activity.type];
  if (!Engine) throw new Error(`no engine for activity type ${options.activity.type}`);
  return facade(new Engine(options));
}
