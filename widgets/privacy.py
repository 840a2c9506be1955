"""Privacy settings: set up a fictional app's settings for a situation; see who can see what."""

from __future__ import annotations

from typing import Any

from netwise import scoring
from netwise.content.model import PrivacySetting, PrivacySettingsActivity

from .base import SingleAnswerWidget, judgement


class PrivacySettingsWidget(SingleAnswerWidget):
    """Python API: ``set(setting_id, option_id)`` for each setting, then ``check()``."""

    activity_type = "privacy_settings"
    activity: PrivacySettingsActivity

    def _restore(self) -> None:
        attempts = self.record.attempts(self.activity.id, "_")
        # Reopening shows the learner's last checked settings; a fresh panel has none chosen,
        # so no default quietly counts as an answer.
        self._chosen: dict[str, str] = (
            dict(scoring.privacy_settings(self.activity, attempts[-1].get("value")).details["settings"])
            if attempts
            else {}
        )

    def _spec(self) -> dict[str, Any]:
        # Options without their audience: who can see what is the lesson, shown after checking.
        return {
            "app_name": self.activity.app_name,
            "screen_title": self.ui["ps_title"].format(app=self.activity.app_name),
            "situation": self.activity.situation,
            "settings": [
                {"id": s.id, "label": s.label, "options": [{"id": o.id, "text": o.text} for o in s.options]}
                for s in self.activity.settings
            ],
        }

    # --- Python API ---------------------------------------------------------------------

    def set(self, setting_id: str, option_id: str) -> None:
        """Choose one option of one setting, as tapping it in the page would."""
        self.handle({"action": "set", "setting": setting_id, "option": option_id})

    def check(self) -> None:
        self.handle({"action": "check"})

    @property
    def chosen(self) -> dict[str, str]:
        return self._ordered(self._chosen)

    # --- handler ------------------------------------------------------------------------

    def _ordered(self, chosen: dict[str, str]) -> dict[str, str]:
        return {s.id: chosen[s.id] for s in self.activity.settings if s.id in chosen}

    def _setting(self, setting_id: Any) -> PrivacySetting:
        for setting in self.activity.settings:
            if setting.id == setting_id:
                return setting
        raise ValueError(f"no setting {setting_id!r} in activity '{self.activity.id}'")

    def _act(self, action: str, message: dict[str, Any]) -> None:
        if self._locked(self._results()):
            return
        if action == "set":
            setting = self._setting(message.get("setting"))
            option = message.get("option")
            if not any(o.id == option for o in setting.options):
                raise ValueError(
                    f"setting '{setting.id}' has options {[o.id for o in setting.options]}, got {option!r}"
                )
            self._chosen[setting.id] = str(option)
        elif action == "check":
            if any(s.id not in self._chosen for s in self.activity.settings):
                self._notice = self.ui["ps_need_all"]
                self._say(self._notice)
                return
            self._save("_", {"settings": self.chosen})
            self._say(self._text(self._feedback(self._results())))
        else:
            raise ValueError(f"unknown action {action!r} for a privacy settings activity")

    def _feedback(self, results: list[scoring.Result]) -> dict[str, Any] | None:
        if not results:
            return None
        last = results[-1]
        locked = self._locked(results)
        chosen = last.details["settings"]
        settings = []
        for setting in self.activity.settings:
            option = next((o for o in setting.options if o.id == chosen.get(setting.id)), None)
            fits = bool(last.details["fits"][setting.id])
            better = None
            if locked and not fits:  # the fitting options are revealed once the activity is finished
                better = self.ui["ps_better"].format(
                    options=", ".join(o.text for o in setting.options if o.id in setting.best)
                )
            settings.append(
                {
                    "id": setting.id,
                    "option": option.id if option else None,
                    "chosen": self.ui["ps_chosen"].format(setting=setting.label, option=option.text if option else "—"),
                    "who": self.ui["ps_who_sees"].format(audience=option.audience) if option else None,
                    "fits": fits,
                    "verdict": self.ui["ps_fits" if fits else "ps_not_fit"],
                    "better": better,
                    # The why of a setting is given when it fits, or once the activity is over.
                    "explanation": setting.explanation if fits or locked else None,
                }
            )
        return {
            **judgement(self.ui, last.fraction, last.correct),
            "score": self.ui["ps_score"].format(right=last.details["right"], total=last.details["total"]),
            "settings": settings,
            "attempts_line": self._attempts_line(len(results), locked, last.correct),
        }

    def _text(self, feedback: dict[str, Any] | None) -> str:
        if feedback is None:
            return ""
        lines = [feedback["headline"], feedback["score"]]
        for s in feedback["settings"]:
            lines.append(
                " ".join(x for x in (s["chosen"], "—", s["who"], s["verdict"], s["better"], s["explanation"]) if x)
            )
        if feedback["attempts_line"]:
            lines.append(feedback["attempts_line"])
        return "\n".join(lines)

    def _answer_state(self) -> dict[str, Any]:
        return {"settings": self.chosen}
