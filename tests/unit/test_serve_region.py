"""The lesson app serves one region profile beside the language (``netwise serve --region``).

An English-medium school in Vietnam serves English lessons with Vietnamese help lines and
local colour; the served site records which profile each language's pages use.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from netwise.app.config import NetwiseConfiguration
from netwise.app.site import prepare_site
from netwise.errors import NetwiseError

LESSON = "scams-real-or-scam"


def served(tmp_path: Path, region: str) -> tuple[dict[str, str], dict[str, Any]]:
    conf = NetwiseConfiguration(languages=["en"], lessons=[LESSON], region=region)
    site = prepare_site(conf, tmp_path)
    page = site.lessons[("en", LESSON)]
    notebook = json.loads((tmp_path / page.path).read_text(encoding="utf-8"))
    return site.regions, notebook


def test_the_default_pairing_stays(tmp_path: Path) -> None:
    regions, notebook = served(tmp_path, "")
    assert regions == {"en": "intl"}
    assert notebook["metadata"]["netwise"]["region"] == "intl"


def test_english_lessons_with_the_vietnamese_profile(tmp_path: Path) -> None:
    regions, notebook = served(tmp_path, "vn")
    assert regions == {"en": "vn"}
    assert notebook["metadata"]["netwise"]["region"] == "vn"
    text = json.dumps(notebook, ensure_ascii=False)
    assert "111" in text  # the national child protection line closes the lesson
    code = "".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code")
    assert 'region="vn"' in code  # the kernel's widgets use the same profile


def test_an_unknown_region_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NetwiseError, match="fr"):
        served(tmp_path, "fr")
