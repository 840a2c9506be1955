"""Load a curriculum folder into validated models; every problem names file:line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from netwise.content.model import ACTIVITY_TYPES, Assessment, Lesson, Manifest, Module, Region
from netwise.content.yamlsource import Loc, Located, read_yaml
from netwise.errors import Problem, UnknownContentError, relative

M = TypeVar("M", bound=BaseModel)


@dataclass
class Curriculum:
    """The whole curriculum in its source language, plus where each piece came from."""

    root: Path
    manifest: Manifest
    modules: list[Module]
    lessons: dict[str, Lesson]
    regions: dict[str, Region]
    sources: dict[str, Located] = field(default_factory=dict)  # "lesson:<id>" etc. -> file
    assessments: dict[str, Assessment] = field(default_factory=dict)  # module id -> item bank

    def lesson(self, lesson_id: str) -> Lesson:
        try:
            return self.lessons[lesson_id]
        except KeyError:
            raise UnknownContentError(f"no lesson '{lesson_id}' in {self.root}") from None

    def module_of(self, lesson_id: str) -> Module:
        for module in self.modules:
            if lesson_id in module.lessons:
                return module
        raise UnknownContentError(f"lesson '{lesson_id}' belongs to no module")

    def module(self, module_id: str) -> Module:
        for module in self.modules:
            if module.id == module_id:
                return module
        raise UnknownContentError(f"no module '{module_id}' in {self.root}")

    def region_for(self, lang: str) -> Region:
        return self.regions[self.region_id_for(lang)]

    def region_id_for(self, lang: str) -> str:
        """The region a language is served with by default (curriculum.yaml ``regions``)."""
        return self.manifest.regions.get(lang, self.manifest.default_region)

    def region(self, region_id: str) -> Region:
        try:
            return self.regions[region_id]
        except KeyError:
            known = ", ".join(sorted(self.regions)) or "none"
            raise UnknownContentError(f"no region '{region_id}' in {self.root} (regions: {known})") from None

    def lesson_number(self, lesson_id: str) -> int:
        return self.module_of(lesson_id).lessons.index(lesson_id) + 1


def _describe(error: Any) -> str:
    """Turn one pydantic error into words a content author understands."""
    kind, ctx = error["type"], error.get("ctx") or {}
    loc = [part for part in error["loc"] if isinstance(part, str)]
    name = loc[-1] if loc else "value"
    given = error.get("input")
    if kind == "missing":
        return f"'{name}' is required but missing"
    if kind == "extra_forbidden":
        return f"unknown field '{name}' (check the spelling; allowed fields are in docs/authoring.md)"
    if kind == "union_tag_invalid":
        return f"unknown activity type '{ctx.get('tag')}'; use one of: {', '.join(ACTIVITY_TYPES)}"
    if kind == "union_tag_not_found":
        return f"every activity needs a 'type' ({', '.join(ACTIVITY_TYPES)})"
    if kind == "literal_error":
        return f"'{name}' is {given!r}, but it must be one of: {ctx.get('expected')}"
    if kind == "string_pattern_mismatch":
        return f"'{name}' {given!r} must use only lower-case letters, digits and hyphens"
    if kind == "string_type" and isinstance(given, bool):
        return f"'{name}' was read as {str(given).lower()}: YAML turns yes/no/on/off into true/false, so put it in quotes (\"off\")"
    if kind in ("string_type", "string_too_short"):
        return f"'{name}' must be non-empty text"
    if kind == "too_short":
        return f"'{name}' needs at least {ctx.get('min_length')} entries"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"'{name}' must be a whole number, not {given!r}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"'{name}' is {given!r}, outside the allowed range ({error['msg'].lower()})"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        shape = {"list_type": "a list", "dict_type": "a mapping"}.get(kind, "a block of fields")
        return f"'{name}' must be {shape}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"'{name}': {error['msg']}"


def _data_loc(data: Any, loc: tuple[Any, ...]) -> Loc:
    """Drop pydantic's union tags from an error location so it matches the YAML path."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (
            isinstance(node, dict)
            and part in node
            or isinstance(node, list)
            and isinstance(part, int)
            and part < len(node)
        ):
            node = node[part]
            path.append(part)
    return tuple(path)


def parse(located: Located, model: type[M], problems: list[Problem]) -> M | None:
    if not isinstance(located.data, dict):
        problems.append(Problem(located.file, 1, "the file must hold a block of 'key: value' fields"))
        return None
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = _data_loc(located.data, error["loc"])
            problems.append(located.problem(loc, _describe(error)))
        return None


def _read(path: Path, root: Path, problems: list[Problem]) -> Located | None:
    result = read_yaml(path, relative(path, root))
    if isinstance(result, Problem):
        problems.append(result)
        return None
    return result


def load_structure(root: Path, only: list[str] | None = None) -> tuple[Curriculum | None, list[Problem]]:
    """Read and shape-check every file (or only some modules); return what loaded and every problem."""
    root = root.resolve()
    problems: list[Problem] = []
    if not (root / "curriculum.yaml").is_file():
        problems.append(Problem(str(root), 0, "not a curriculum folder: curriculum.yaml is missing"))
        return None, problems
    sources: dict[str, Located] = {}
    manifest_src = _read(root / "curriculum.yaml", root, problems)
    manifest = parse(manifest_src, Manifest, problems) if manifest_src else None
    if manifest_src:
        sources["manifest"] = manifest_src

    regions: dict[str, Region] = {}
    for path in sorted((root / "regions").glob("*.yaml")):
        src = _read(path, root, problems)
        region = parse(src, Region, problems) if src else None
        if src and region:
            if region.id != path.stem:
                problems.append(src.problem(("id",), f"region id '{region.id}' must match the file name '{path.stem}'"))
            regions[region.id] = region
            sources[f"region:{region.id}"] = src

    modules: list[Module] = []
    lessons: dict[str, Lesson] = {}
    assessments: dict[str, Assessment] = {}
    module_ids = manifest.modules if manifest else []
    for index, module_id in enumerate(module_ids):
        if only is not None and module_id not in only:
            continue
        module_file = root / "modules" / module_id / "module.yaml"
        if not module_file.is_file():
            problems.append(
                sources["manifest"].problem(
                    ("modules", index), f"module '{module_id}' has no file {relative(module_file, root)}"
                )
            )
            continue
        src = _read(module_file, root, problems)
        module = parse(src, Module, problems) if src else None
        if not (src and module):
            continue
        sources[f"module:{module.id}"] = src
        if module.id != module_id:
            problems.append(src.problem(("id",), f"module id '{module.id}' must match its folder '{module_id}'"))
        modules.append(module)
        assessment_file = module_file.parent / "assessment.yaml"
        if assessment_file.is_file():
            assessment_src = _read(assessment_file, root, problems)
            assessment = parse(assessment_src, Assessment, problems) if assessment_src else None
            if assessment_src and assessment:
                assessments[module.id] = assessment
                sources[f"assessment:{module.id}"] = assessment_src
        for position, lesson_id in enumerate(module.lessons):
            lesson_file = module_file.parent / "lessons" / f"{lesson_id}.yaml"
            if not lesson_file.is_file():
                problems.append(
                    src.problem(
                        ("lessons", position), f"lesson '{lesson_id}' has no file {relative(lesson_file, root)}"
                    )
                )
                continue
            lesson_src = _read(lesson_file, root, problems)
            lesson = parse(lesson_src, Lesson, problems) if lesson_src else None
            if not (lesson_src and lesson):
                continue
            if lesson.id != lesson_id:
                problems.append(
                    lesson_src.problem(("id",), f"lesson id '{lesson.id}' must match the file name '{lesson_id}'")
                )
            if lesson.id in lessons:
                problems.append(lesson_src.problem(("id",), f"lesson id '{lesson.id}' is used twice in the curriculum"))
                continue
            lessons[lesson.id] = lesson
            sources[f"lesson:{lesson.id}"] = lesson_src
    if manifest is None:
        return None, problems
    return Curriculum(root, manifest, modules, lessons, regions, sources, assessments), problems


def module_of_lesson(root: Path, lesson_id: str) -> str | None:
    """Which module lists a lesson, reading only the small module files."""
    import yaml

    for module_file in sorted(Path(root).glob("modules/*/module.yaml")):
        try:
            data = yaml.load(
                module_file.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            )
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and lesson_id in (data.get("lessons") or []):
            return module_file.parent.name
    return None
