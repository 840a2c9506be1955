"""Branching conversations: the learner picks replies; the ending shows its outcome."""

from __future__ import annotations

from typing import Any

from netwise import scoring
from netwise.content.model import BranchingActivity, BranchNode

from .artifact import artifact_spec
from .base import ActivityWidget


class BranchingWidget(ActivityWidget):
    """Python API: ``choose(choice_index)`` and ``restart()``."""

    activity_type = "branching"
    activity: BranchingActivity

    def _nodes(self) -> dict[str, BranchNode]:
        return {node.id: node for node in self.activity.nodes}

    def _restore(self) -> None:
        # Reopening shows the last conversation that reached an ending.
        results = self._results()
        last = results[-1].details["path"] if results else []
        self._path: list[str] = list(last) or [self.activity.start]
        nodes = self._nodes()
        # Which reply led on at each step (a path alone is ambiguous if two replies meet).
        self._picked: list[int] = [
            next(i for i, c in enumerate(nodes[a].choices) if c.goto == b)
            for a, b in zip(self._path, self._path[1:], strict=False)
        ]

    def _spec(self) -> dict[str, Any]:
        # The graph stays in Python: the page learns each node only when it is reached.
        return {"artifact": artifact_spec(self.activity.artifact, self.ui)}

    # --- Python API ---------------------------------------------------------------------

    def choose(self, choice_index: int) -> None:
        self.handle({"action": "choose", "index": choice_index})

    def restart(self) -> None:
        self.handle({"action": "restart"})

    @property
    def path(self) -> list[str]:
        return list(self._path)

    # --- handler ------------------------------------------------------------------------

    def _locked(self, results: list[scoring.Result]) -> bool:
        # Every path is a finished try, right or not: only the number of tries ends it.
        return self._out_of_tries(results)

    def _current(self) -> BranchNode:
        return self._nodes()[self._path[-1]]

    def _act(self, action: str, message: dict[str, Any]) -> None:
        if action == "choose":
            index = message.get("index")
            node = self._current()
            if not node.choices:
                return  # at an ending: only restart moves on
            if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(node.choices):
                raise ValueError(f"node '{node.id}' has {len(node.choices)} choices; got {index!r}")
            nxt = self._nodes()[node.choices[index].goto]
            self._path.append(nxt.id)
            self._picked.append(index)
            if not nxt.choices:  # an ending: that is one attempt, recorded in full
                self._save("_", {"path": list(self._path)})
            self._say(self._node_text(nxt))
        elif action == "restart":
            if self._locked(self._results()):
                return
            self._path = [self.activity.start]
            self._picked = []
            self._say(self._current().text)
        else:
            raise ValueError(f"unknown action {action!r} for a branching activity")

    def _ending(self, node: BranchNode) -> dict[str, Any] | None:
        if node.choices:
            return None
        outcome = node.outcome or "unsafe"
        label = self.ui[f"outcome_{outcome}"]
        return {"outcome": outcome, "label": label, "feedback": node.feedback}

    def _node_text(self, node: BranchNode) -> str:
        ending = self._ending(node)
        if ending is None:
            return node.text
        return "\n".join(x for x in (node.text, ending["label"], ending["feedback"]) if x)

    def _restored_announcement(self) -> str:
        return self._node_text(self._current()) if len(self._path) > 1 else ""

    def _compute(self) -> dict[str, Any]:
        nodes = self._nodes()
        conversation: list[dict[str, Any]] = []
        for i, node_id in enumerate(self._path):
            node = nodes[node_id]
            conversation.append({"key": f"n{i}", "speaker": node.speaker, "text": node.text})
            if i + 1 < len(self._path):
                chosen = node.choices[self._picked[i]]
                conversation.append({"key": f"c{i}", "speaker": "me", "text": chosen.text})
        current = self._current()
        results = self._results()
        used = len(results)
        locked = self._locked(results)
        return {
            "path": list(self._path),
            "conversation": conversation,
            "choices": [{"index": i, "text": c.text} for i, c in enumerate(current.choices)],
            "ending": self._ending(current),
            "attempts_used": used,
            "locked": locked,
            "can_restart": not locked and len(self._path) > 1,
        }
