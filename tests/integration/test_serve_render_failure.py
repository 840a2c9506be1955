"""A lesson page whose template fails mid-render answers the friendly error page, never a hang.

Voilà renders a page whose kernel starts on request in a task of its own; a template error
ended that task silently and the request waited forever (Voilà only sent heartbeats). The
server here runs with a copy of the app's templates whose lean lesson template raises after
the first cell, with the pool empty (kernel started on request) and with a preheated kernel.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from netwise.app.config import TEMPLATE_ROOT
from support.servers import free_port, open_page, serving

pytestmark = pytest.mark.slow

LESSON = "scams-red-flags"
# The lean template's cell loop: after the first cell, a call of an undefined name raises.
CELL_END = "{%- endblock nw_cell -%}"
FAULT = CELL_END + "{%- if loop.index == 1 %}{{ nw_template_fault() }}{% endif -%}"

# Serves like `netwise serve`, with the app's templates taken from the folder in argv[1].
DRIVER = """\
import sys
from pathlib import Path

import netwise.app.server
from netwise.cli.main import main

netwise.app.server.TEMPLATE_ROOT = Path(sys.argv[1])
sys.exit(main(sys.argv[2:]))
"""


def failing_templates(tmp: Path) -> Path:
    root = tmp / "templates"
    shutil.copytree(TEMPLATE_ROOT, root)
    lean = root / "voila" / "templates" / "netwise-lean" / "index.html.j2"
    source = lean.read_text(encoding="utf-8")
    assert CELL_END in source, f"{lean}: no {CELL_END} to put the fault after (update this test)"
    lean.write_text(source.replace(CELL_END, FAULT, 1), encoding="utf-8")
    return root


@pytest.mark.parametrize("pool", ["0", "1"])
def test_a_template_error_answers_the_error_page_with_status_500(pool: str, tmp_path: Path, artifacts: Path) -> None:
    driver = tmp_path / "serve_failing.py"
    driver.write_text(DRIVER, encoding="utf-8")
    port = free_port()
    command = [sys.executable, str(driver), str(failing_templates(tmp_path)), "serve", "--port", str(port),
               "--lang", "en", "--lessons", LESSON, "--pool", pool]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    log = artifacts / f"serve-render-failure-pool{pool}.log"
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    with serving(command, f"{url}/", log, env=env, cwd=tmp_path, stop_timeout=30):
        started = time.monotonic()
        status, page, _ = open_page(f"{url}/lesson/en/{LESSON}", timeout=30)
        elapsed = time.monotonic() - started
    assert status == 500, page[:400]
    assert "Something went wrong" in page and "This lesson could not be opened" in page
    assert "nw_template_fault" not in page and "Traceback" not in page
    assert elapsed < 10, f"the error page took {elapsed:.1f} s"
    assert "failed to render" in log.read_text(encoding="utf-8", errors="replace")
