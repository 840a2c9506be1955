"""Link inspector: find the website a link really opens, then say whether it is genuine.

The page shows the link as text (never a live link) and its host split into labels; tapping
a label picks the domain from that label to the end. The right answer is the registrable
domain, computed with the bundled Public Suffix List (netwise.links), never stored in YAML.
"""

from __future__ import annotations

from typing import Any

from netwise import scoring
from netwise.content import links
from netwise.content.model import LinkInspectorActivity, LinkItem

from .base import ItemSetWidget, judgement


class LinkInspectorWidget(ItemSetWidget):
    """Python API: ``answer(item_id, domain, genuine)``, e.g. ``answer("a", "login-secure.test", False)``."""

    activity_type = "link_inspector"
    activity: LinkInspectorActivity

    def _spec(self) -> dict[str, Any]:
        total = len(self.activity.items)
        items = []
        for n, item in enumerate(self.activity.items, start=1):
            link = links.inspect(item.url)
            items.append(
                {
                    "id": item.id,
                    "label": self.ui["item_label"].format(number=n, total=total),
                    "url": item.url,
                    "claims_line": self.ui["li_claims"].format(claims=item.claims),
                    "question": self.ui["li_question"].format(claims=item.claims),
                    # Every label of the host, each selecting the domain from there to the end:
                    # the page offers all of them, so this says nothing about which is right.
                    "labels": [
                        {
                            "index": i,
                            "text": link.shown[i],
                            "ascii": link.labels[i] if link.labels[i] != link.shown[i] else None,
                            "domain": link.suffix_from(i),
                            "domain_shown": links.to_unicode(link.suffix_from(i)),
                        }
                        for i in range(len(link.labels))
                    ],
                }
            )
        return {
            "items": items,
            "choices": [{"value": True, "label": self.ui["li_yes"]}, {"value": False, "label": self.ui["li_no"]}],
        }

    # --- Python API ---------------------------------------------------------------------

    def answer(self, item_id: str, domain: str | None, genuine: bool | None) -> None:
        self.handle({"action": "answer", "item": item_id, "domain": domain, "genuine": genuine})

    # --- handler ------------------------------------------------------------------------

    def _act(self, action: str, message: dict[str, Any]) -> None:
        if action != "answer":
            raise ValueError(f"unknown action {action!r} for a link inspector")
        item = self._item(message.get("item"))
        domain, genuine = message.get("domain"), message.get("genuine")
        if domain is not None and not isinstance(domain, str):
            raise ValueError(f"domain must be text, got {domain!r}")
        if genuine is not None and not isinstance(genuine, bool):
            raise ValueError(f"genuine must be true or false, got {genuine!r}")
        if self._locked(self._results(item.id)):
            return
        if not links.normalize(domain) or genuine is None:
            self._notice = self.ui["li_need_both"]
            self._say(self._notice)
            return
        self._save(item.id, {"domain": links.normalize(domain), "genuine": genuine})
        self._last_item = item.id
        self._say(self._announcement())

    def _item_feedback(self, number: int, item: LinkItem) -> dict[str, Any] | None:
        results = self._results(item.id)
        if not results:
            return None
        last = results[-1]
        locked = self._locked(results)
        given = last.details
        answer_label = self.ui["li_yes"] if given["genuine"] else self.ui["li_no"]
        feedback: dict[str, Any] = {
            "label": self.ui["item_label"].format(number=number, total=len(self.activity.items)),
            "domain": given["domain"],
            "genuine": given["genuine"],
            **judgement(self.ui, last.fraction, last.correct),
            "you_picked": self.ui["li_you_picked"].format(domain=links.to_unicode(given["domain"])),
            "you_said": self.ui["you_said"].format(answer=answer_label),
            "reveal": [],
            "explanation": None,
            "attempts_line": self._attempts_line(len(results), locked, last.correct),
        }
        if locked:  # the real site and the explanation give the answer away: only once final
            link = links.inspect(item.url)
            reveal = [self.ui["li_opens"].format(domain=link.domain_shown)]
            if link.lookalike:
                reveal.append(self.ui["li_punycode"].format(ascii=link.domain, shown=link.domain_shown))
            key = "li_belongs" if item.genuine else "li_not_belongs"
            reveal.append(self.ui[key].format(claims=item.claims))
            if item.real_domain and not item.genuine:
                reveal.append(self.ui["li_real_site"].format(claims=item.claims, domain=item.real_domain))
            feedback["reveal"] = reveal
            feedback["explanation"] = item.explanation
        return feedback

    def _item_answer(self, results: list[scoring.Result]) -> dict[str, Any]:
        last = results[-1].details if results else {}
        return {"domain": last.get("domain"), "genuine": last.get("genuine")}

    def _text(self, feedback: dict[str, Any]) -> str:
        lines = [feedback["label"], feedback["headline"], feedback["you_picked"], feedback["you_said"]]
        lines += feedback["reveal"]
        lines += [x for x in (feedback["explanation"], feedback["attempts_line"]) if x]
        return "\n".join(lines)
