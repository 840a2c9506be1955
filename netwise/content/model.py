"""Typed content model: modules, lessons, activities (one schema per type), regions.

Fields typed ``Text`` are shown to learners or teachers and are translated through
gettext catalogs; everything else (ids, numbers, addresses, links) is not.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator


class Translatable:
    """Marks a string field as learner- or teacher-facing text that catalogs translate."""


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), Translatable()]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]

AgeBand = Literal["8-10", "11-13", "14-16"]
AGE_BANDS: tuple[str, ...] = get_args(AgeBand)

# DigComp 2.2 competence codes (areas 1-5).
DigComp = Literal[
    "1.1", "1.2", "1.3",
    "2.1", "2.2", "2.3", "2.4", "2.5", "2.6",
    "3.1", "3.2", "3.3", "3.4",
    "4.1", "4.2", "4.3", "4.4",
    "5.1", "5.2", "5.3", "5.4",
]  # fmt: skip

# Domains of Vietnam's learner digital competence framework (Circular 02/2025/TT-BGDĐT).
VnDomain = Literal[
    "information-data",
    "communication-collaboration",
    "content-creation",
    "safety",
    "problem-solving",
    "ai",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- simulated artifacts -------------------------------------------------------------


class ChatMessage(Strict):
    side: Literal["them", "me"] = "them"
    text: Text
    time: str | None = None


ArtifactKind = Literal["sms", "chat", "email", "post", "web", "call", "video_call", "permission", "install"]
ARTIFACT_KINDS: tuple[str, ...] = get_args(ArtifactKind)
# The kinds that may carry a ``scene`` and those that may carry ``details`` (netwise check).
SCENE_KINDS: tuple[str, ...] = ("video_call",)
DETAIL_KINDS: tuple[str, ...] = ("permission", "install")


class Artifact(Strict):
    """A message, page, call or phone prompt as the learner would meet it, drawn inside the widget.

    ``video_call``: sender = the caller's display name, address = number or handle, body = what
    the caller says, ``scene`` = what the video shows. ``permission``: sender = the app asking,
    body = the request as the phone words it, ``details`` = one line per permission asked.
    ``install``: sender = app name, address = publisher or file name (``FreeDiamonds.apk``),
    url = where it came from, body = the system's warning, ``details`` = what it asks for.
    The buttons these draw (Accept/Decline, Allow/Deny, Install/Cancel) are inert pictures.
    """

    kind: ArtifactKind
    sender: Text | None = None  # display name: "VCBank", "Mum", "Minh"
    address: str | None = None  # phone number, e-mail address or @handle, never translated
    subject: Text | None = None  # e-mail subject
    url: str | None = None  # address bar of a web page, or a link in a message
    time: Text | None = None
    body: Text | None = None
    messages: list[ChatMessage] = []
    scene: Text | None = None  # video_call only: what the video shows
    details: list[Text] = []  # permission / install only: one line per thing asked for


# --- activities ----------------------------------------------------------------------


class ActivityBase(Strict):
    id: Id
    title: Text | None = None
    prompt: Text
    points: float = Field(default=1, ge=0, le=100)
    # How many submissions a learner gets; None means unlimited. The first counts for marks.
    attempts: int | None = Field(default=2, ge=1, le=10)


class Option(Strict):
    id: Id
    text: Text
    feedback: Text


class ChoiceActivity(ActivityBase):
    type: Literal["choice"]
    multiple: bool = False
    shuffle: bool = False
    options: list[Option] = Field(min_length=2)
    correct: list[Id] = Field(min_length=1)
    explanation: Text | None = None


Scale = Literal["scam-legit", "true-false"]
VerdictAnswer = Literal["scam", "legit", "true", "false"]
# Each scale's two answers, written once, in the order the buttons show them.
SCALE_ANSWERS: dict[str, tuple[VerdictAnswer, VerdictAnswer]] = {
    "scam-legit": ("scam", "legit"),
    "true-false": ("true", "false"),
}
# The answer that is the thing to detect on each scale (a "hit" in discernment terms).
SIGNAL_ANSWER: dict[str, VerdictAnswer] = {"scam-legit": "scam", "true-false": "false"}


class VerdictLabels(Strict):
    """The words an author chooses for a scale's two answers (``{scam: Report, legit: Ignore}``).

    Only the scale's own answers may be set (netwise check); an answer left out keeps the
    scale's usual word. Scoring stays on the scale: a label only changes what is shown.
    """

    scam: Text | None = None
    legit: Text | None = None
    true: Text | None = None
    false: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _yaml_booleans(cls, data: Any) -> Any:
        # YAML reads the keys of ``{true: Yes, false: No}`` as booleans: they name the answers.
        if isinstance(data, dict):
            return {(str(key).lower() if isinstance(key, bool) else key): value for key, value in data.items()}
        return data

    def for_answer(self, answer: str) -> str | None:
        value = getattr(self, answer, None)
        return value if isinstance(value, str) else None

    def chosen(self) -> dict[str, str]:
        """The labels set, by answer (the shape widgets and pages receive)."""
        return {key: value for key in ("scam", "legit", "true", "false") if (value := self.for_answer(key))}


class VerdictItem(Strict):
    id: Id
    artifact: Artifact
    answer: VerdictAnswer
    cues: list[Text] = Field(min_length=1)
    explanation: Text


class VerdictActivity(ActivityBase):
    type: Literal["verdict"]
    scale: Scale = "scam-legit"
    labels: VerdictLabels | None = None  # the author's words for the two answers
    items: list[VerdictItem] = Field(min_length=1)
    attempts: int | None = Field(default=1, ge=1, le=10)


class FlagPart(Strict):
    id: Id
    text: Text
    place: Literal["sender", "address", "subject", "url", "body", "link", "attachment"] = "body"
    suspicious: bool
    explanation: Text


class RedFlagsActivity(ActivityBase):
    type: Literal["red_flags"]
    artifact: Artifact
    parts: list[FlagPart] = Field(min_length=2)


class BranchChoice(Strict):
    text: Text
    goto: Id


class BranchNode(Strict):
    id: Id
    speaker: Literal["them", "me", "narrator"] = "them"
    text: Text
    choices: list[BranchChoice] = []
    outcome: Literal["safe", "partly", "unsafe"] | None = None
    feedback: Text | None = None


class BranchingActivity(ActivityBase):
    type: Literal["branching"]
    artifact: Artifact
    start: Id
    nodes: list[BranchNode] = Field(min_length=2)
    attempts: int | None = Field(default=None, ge=1, le=10)


class PassphraseLabActivity(ActivityBase):
    """Type a password or passphrase and see how long guessing it would take, and why.

    Nothing typed is stored or recorded: the record holds only whether the goal was reached.
    """

    type: Literal["passphrase_lab"]
    goal_score: int = Field(default=3, ge=1, le=4)  # the estimator's 0-4 strength score to reach
    tips: list[Text] = Field(min_length=1)
    explanation: Text
    attempts: int | None = Field(default=None, ge=1, le=10)


class SettingOption(Strict):
    id: Id
    text: Text
    audience: Text  # who can see or do what once this option is chosen


class PrivacySetting(Strict):
    id: Id
    label: Text
    options: list[SettingOption] = Field(min_length=2)
    best: list[Id] = Field(min_length=1)  # options that fit the situation
    explanation: Text


class PrivacySettingsActivity(ActivityBase):
    """A fictional app's settings panel, set up for a described situation."""

    type: Literal["privacy_settings"]
    app_name: Text
    situation: Text
    settings: list[PrivacySetting] = Field(min_length=1)


class LinkItem(Strict):
    id: Id
    url: str  # exactly as shown; reserved example domains only
    claims: Text  # who the message says the link belongs to ("VCBank")
    genuine: bool  # does the link really lead to the claimed organisation's site?
    real_domain: str | None = None  # the claimed organisation's real registrable domain
    explanation: Text


class LinkInspectorActivity(ActivityBase):
    """Find the site a link really opens: its registrable domain, not what it looks like."""

    type: Literal["link_inspector"]
    items: list[LinkItem] = Field(min_length=1)
    attempts: int | None = Field(default=1, ge=1, le=10)


class RatingItem(Strict):
    id: Id
    artifact: Artifact
    truth: bool  # true / reliable content, or false / manipulative content
    cues: list[Text] = Field(min_length=1)
    explanation: Text


class RatingActivity(ActivityBase):
    """Rate how reliable each post or headline is (1-7); scored on discernment."""

    type: Literal["rating"]
    low_label: Text  # what 1 means
    high_label: Text  # what 7 means
    items: list[RatingItem] = Field(min_length=2)
    attempts: int | None = Field(default=1, ge=1, le=10)


AnyActivity = (
    ChoiceActivity
    | VerdictActivity
    | RedFlagsActivity
    | BranchingActivity
    | PassphraseLabActivity
    | PrivacySettingsActivity
    | LinkInspectorActivity
    | RatingActivity
)
Activity = Annotated[AnyActivity, Field(discriminator="type")]
# The one list of activity types: every layer's table is checked against it (docs/architecture.md).
ACTIVITY_CLASSES: tuple[type[ActivityBase], ...] = get_args(AnyActivity)
ACTIVITY_TYPES: tuple[str, ...] = tuple(get_args(cls.model_fields["type"].annotation)[0] for cls in ACTIVITY_CLASSES)


# --- lessons and modules -------------------------------------------------------------


class Step(Strict):
    """One block of a lesson: narrative text (Markdown) or one activity."""

    text: Text | None = None
    activity: Activity | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Step:
        if (self.text is None) == (self.activity is None):
            raise ValueError("a step holds either 'text' or 'activity', exactly one of them")
        return self


class TimingStep(Strict):
    minutes: int = Field(ge=1, le=60)
    step: Text


class TeacherNotes(Strict):
    preparation: Text | None = None
    timing: list[TimingStep] = Field(min_length=1)
    discussion: list[Text] = Field(min_length=1)
    rationale: Text


class Competences(Strict):
    digcomp: list[DigComp] = Field(min_length=1)
    vn_framework: list[VnDomain] = Field(min_length=1)


class Lesson(Strict):
    id: Id
    title: Text
    summary: Text
    age_band: AgeBand
    duration_min: int = Field(ge=5, le=90)
    objectives: list[Text] = Field(min_length=1)
    competences: Competences
    teacher_notes: TeacherNotes
    steps: list[Step] = Field(min_length=1)
    what_to_do: list[Text] = Field(min_length=1)
    # Show the region's help path for distress (feeling very low, self-harm) in the closing:
    # lessons on bullying, sextortion, harmful challenges.
    distress_help: bool = False

    @property
    def activities(self) -> list[Any]:
        return [step.activity for step in self.steps if step.activity is not None]

    def activity(self, activity_id: str) -> Any:
        for activity in self.activities:
            if activity.id == activity_id:
                return activity
        return None


class FamilySheet(Strict):
    """A module's page of the family guide (``netwise guide --family``), for parents and carers:
    what the child learned, three ways to start talking, the safety tools worth turning on
    together (in general terms, no brand names) and what to do; the region adds who to call."""

    learned: list[Text] = Field(min_length=1)  # what the child learned, one line each
    starters: list[Text] = Field(min_length=3, max_length=3)  # conversation starters
    tools: list[Text] = Field(min_length=1)  # platform safety tools to set up together
    what_to_do: list[Text] = Field(min_length=1)  # if something happens


class Module(Strict):
    id: Id
    title: Text
    summary: Text
    lessons: list[Id] = Field(min_length=1)
    family: FamilySheet | None = None


class AssessmentItem(Strict):
    """One test item: an artifact judged scam/legit (or true/false); no feedback during a test.

    ``age_band`` is the youngest class the item suits: a form given to a class of 8-10 year
    olds holds only "8-10" items, a class of 14-16 may get every item.
    """

    id: Id
    age_band: AgeBand
    artifact: Artifact
    answer: VerdictAnswer
    difficulty: Literal["easy", "medium", "hard"]
    cues: list[Text] = Field(min_length=1)
    explanation: Text


class Booster(Strict):
    id: Id  # e.g. booster-2w
    weeks: int = Field(ge=1, le=52)  # when to give it, in weeks after the module
    items: list[Id] = Field(min_length=3)


class AssessmentForms(Strict):
    pre: list[Id] = Field(min_length=4)
    post: list[Id] = Field(min_length=4)  # parallel form: different items, matched difficulty
    boosters: list[Booster] = []


class Assessment(Strict):
    """modules/<module>/assessment.yaml: an item bank with pre, post and booster forms."""

    id: Id  # conventionally the module id
    title: Text
    prompt: Text
    scale: Scale = "scam-legit"
    labels: VerdictLabels | None = None  # the author's words for the two answers
    items: list[AssessmentItem] = Field(min_length=8)
    forms: AssessmentForms


class Contact(Strict):
    """A real service in a region profile. Someone checked it in the month ``verified``
    (``YYYY-MM``) against ``source`` (an official page, a document, a named review);
    ``netwise check`` requires both and warns when the check is more than a year old."""

    verified: str | None = None
    source: str | None = None


class HelpLine(Contact):
    name: Text
    number: str | None = None
    hours: Text | None = None
    who: Text
    web: str | None = None  # shown as text, never as a link: lessons open no outside site


class ReportChannel(Contact):
    name: Text
    how: Text
    number: str | None = None
    web: str | None = None


class DistressPath(Strict):
    """Where a child who feels very low, hopeless or thinks about self-harm can turn, beyond
    the general help lines. Lessons with ``distress_help: true`` show it in their closing."""

    intro: Text  # what to do first, in plain words
    help_lines: list[HelpLine] = Field(min_length=1)


class Currency(Strict):
    """How money is written in a region: ``{money:8}`` in a lesson is 8 reference units (about
    what 8 US dollars buy), shown as ``per_unit`` × 8 local units, rounded to ``step``."""

    format: str  # "{amount} đ", "${amount}": where the number goes
    per_unit: float = Field(default=1, gt=0)  # local units per reference unit
    step: float = Field(default=1, gt=0)  # round the local amount to this (1000 đ, 0.01 $)
    code: str | None = None  # ISO 4217 code ("VND"): netwise check refuses it hard-coded in a lesson


class LocalNames(Strict):
    """The fictional local colour a lesson names through placeholders (``{bank}``, ``{school}``):
    invented names that sound local, never one letter from a real brand, school or place."""

    bank: Text  # a fictional bank, as its name is written: "Sông Xanh Bank"
    bank_web: str  # the bank's web name in its example domain: "songxanh" (songxanh.example)
    school: Text  # a fictional secondary school
    primary_school: Text  # a fictional primary school
    ward: Text  # the learner's neighbourhood (a ward, a district): "Hoa Sen ward"
    city: Text  # a big city the learner knows (a real one is fine: it is not a brand)
    chat_app: Text  # a fictional messaging app
    social_app: Text  # a fictional social network
    shop_app: Text  # a fictional shopping app
    video_app: Text  # a fictional short-video app


class LocalColour(Strict):
    """What artifacts borrow from the region they are served in: money, masked phone numbers,
    names. Lessons write placeholders; the region fills them in after translation."""

    currency: Currency
    phone: str  # an impossible or masked format; {n} is the lesson's number: "+84 000 000 {n:03}"
    names: LocalNames
    # The people, games, pages and places scenarios name, by a key lessons write as {cast:key}:
    # {cast:khoa} is "Khoa" in Vietnam and "Kai" elsewhere. Names, not sentences: not translated.
    cast: dict[Id, str] = {}


class Region(Strict):
    id: Id
    name: Text
    emergency: Text
    trusted_adults: Text
    help_lines: list[HelpLine] = Field(min_length=1)
    reporting: list[ReportChannel] = Field(min_length=1)
    distress: DistressPath | None = None
    # The numbers a child should know by heart, in one line; shown above the help lines.
    remember: Text | None = None
    # The local colour of scenarios ({bank}, {money:8}, {phone:31}); see netwise.content.local.
    local: LocalColour | None = None

    def contacts(self) -> list[tuple[tuple[str | int, ...], Contact]]:
        """Every real service of the profile with its data path (for file:line)."""
        found: list[tuple[tuple[str | int, ...], Contact]] = []
        found += [(("help_lines", i), line) for i, line in enumerate(self.help_lines)]
        found += [(("reporting", i), channel) for i, channel in enumerate(self.reporting)]
        if self.distress is not None:
            found += [(("distress", "help_lines", i), line) for i, line in enumerate(self.distress.help_lines)]
        return found


class Licence(Strict):
    """Under what terms the lessons may be reused; shown on every page, notebook and guide.

    An NGO's own curriculum folder declares its own (an adaptation of NetWise keeps the
    attribution and, under CC BY-SA, the same licence).
    """

    name: str  # e.g. "CC BY-SA 4.0"
    url: str  # the licence text, shown as text, never as a link
    attribution: Text  # who made the lessons (and who adapted them)


# Where Vietnamese puts the tone mark in the open syllables oa, oe, uy: "new" (hoà, khoẻ,
# thuỷ: the placement of Vietnam's school textbooks) or "old" (hòa, khỏe, thủy).
ToneMarks = Literal["new", "old"]


class Manifest(Strict):
    """curriculum.yaml: the languages every shipped lesson must have, module order, regions."""

    title: Text
    source_language: str = "en"
    languages: list[str] = Field(min_length=1)
    modules: list[Id] = Field(min_length=1)
    regions: dict[str, Id]
    default_region: Id
    licence: Licence | None = None
    tone_marks: dict[str, ToneMarks] = {}  # one convention per language, e.g. {vi: new}


# --- helpers for the translation walker ----------------------------------------------


def is_text(annotation: Any) -> bool:
    """True when a field annotation is ``Text`` or ``Text | None``."""
    if get_origin(annotation) is Annotated:
        return any(isinstance(meta, Translatable) for meta in annotation.__metadata__)
    return any(is_text(arg) for arg in get_args(annotation) if arg is not type(None)) and (
        get_origin(annotation) not in (list, dict)
    )


def is_text_list(annotation: Any) -> bool:
    return get_origin(annotation) is list and is_text(get_args(annotation)[0])
