"""axe-core in a Playwright page: the serious and critical WCAG 2.x A/AA violations.

axe-core comes from the npm registry into tests/.axe (tests/run.sh) and is injected into the
page, so no page ever loads it from a CDN.
"""

from __future__ import annotations

from typing import Any

import pytest

from support.paths import TESTS

AXE = TESTS / ".axe" / "node_modules" / "axe-core" / "axe.min.js"


def axe(page: Any) -> list[str]:
    """Serious or critical WCAG 2.x A/AA violations found by axe-core; skips the test without axe-core."""
    if not AXE.is_file():
        pytest.skip("axe-core not installed: bash tests/run.sh installs it into tests/.axe")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})).violations
             .filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""
    )
    return list(result)
