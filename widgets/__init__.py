"""NetWise activity widgets (imported as ``netwise.widgets``).

A generated notebook does::

    from netwise.widgets import Lesson
    lesson = Lesson("scams-real-or-scam", lang="vi")
    lesson                      # header: title, progress, record warnings
    lesson.show("judge-messages")
"""

from .base import ActivityWidget, NetwiseWidget
from .branching import BranchingWidget
from .choice import ChoiceWidget
from .lesson import WIDGETS, Lesson, LessonHeader, load_curriculum
from .red_flags import RedFlagsWidget
from .verdict import VerdictWidget

__all__ = [
    "WIDGETS",
    "ActivityWidget",
    "BranchingWidget",
    "ChoiceWidget",
    "Lesson",
    "LessonHeader",
    "NetwiseWidget",
    "RedFlagsWidget",
    "VerdictWidget",
    "load_curriculum",
]
