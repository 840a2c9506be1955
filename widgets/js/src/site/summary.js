// The lesson header and end-of-lesson summary of a static page (widgets/lesson.py: Lesson's
// _update_progress for LessonHeader and LessonSummary), kept up to date from the record.

import { activityScore, format, formatDecimal, parts, pyRound } from "./score.js";
import { listeners } from "./base.js";

export function createSummary({
  lesson,
  activities,
  site,
  kind = "summary",
  ui,
  record,
  inMemory = true,
  warning = null,
}) {
  const changes = listeners();
  const list = lesson ? lesson.activities : activities.map((engine) => engine.activity);
  const local = (lesson && lesson._site) || site || { decimal: ".", score: false };
  let state = null;
  let header = null;
  const isAnswered = (activity) => parts(activity).every((p) => record.attempts(activity.id, p).length > 0);
  const points = (value) => formatDecimal(value, 2, local.decimal);
  const update = () => {
    const done = list.filter(isAnswered).length;
    const total = list.length;
    const error = record.error ? format(ui.record_unwritable, { reason: record.error }) : null;
    header = { done, total, progress: format(ui.progress, { done, total }), warning, error };
    state = {
      done,
      total,
      text: format(ui.lesson_summary, { done, total }),
      finished: done === total,
      in_memory: inMemory,
      items: list.map((a) => ({ id: a.id, title: a.title || ui.activity_heading, answered: isAnswered(a) })),
    };
    if (local.score) {
      // The score the teacher would see (issue 13), when the Python summary shows it.
      const got = list.reduce((sum, a) => sum + activityScore(a, record.answers(a.id)).score, 0);
      const most = list.reduce((sum, a) => sum + a.points, 0);
      state.score = format(ui.fb_total, { score: points(pyRound(got, 2)), max: points(pyRound(most, 2)) });
    }
    changes.fire(kind === "header" ? header : state);
  };
  update();
  record.listen(update);
  return {
    getState: () => (kind === "header" ? header : state),
    getHeaderState: () => header,
    getSummaryState: () => state,
    onChange: (callback) => changes.add(callback),
    refresh: update,
  };
}
