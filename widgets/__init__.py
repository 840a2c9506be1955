"""NetWise activity widgets (imported as ``netwise.widgets``).

A generated notebook does::

    from netwise.widgets import Lesson
    lesson = Lesson("scams-real-or-scam", lang="vi")
    lesson                      # header: title, progress, record warnings
    lesson.show("judge-messages")
"""

from .assessment import AssessmentWidget
from .base import ActivityWidget, NetwiseWidget
from .branching import BranchingWidget
from .choice import ChoiceWidget
from .lesson import WIDGETS, Lesson, LessonHeader, LessonSummary, load_curriculum
from .link_inspector import LinkInspectorWidget
from .passphrase import PassphraseWidget
from .privacy import PrivacySettingsWidget
from .rating import RatingWidget
from .red_flags import RedFlagsWidget
from .verdict import VerdictWidget

__all__ = [
    "WIDGETS",
    "ActivityWidget",
    "AssessmentWidget",
    "BranchingWidget",
    "ChoiceWidget",
    "Lesson",
    "LessonHeader",
    "LessonSummary",
    "LinkInspectorWidget",
    "NetwiseWidget",
    "PassphraseWidget",
    "PrivacySettingsWidget",
    "RatingWidget",
    "RedFlagsWidget",
    "VerdictWidget",
    "load_curriculum",
]
