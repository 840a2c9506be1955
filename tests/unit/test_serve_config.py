"""`netwise serve`'s one configuration model: trait defaults, a config file, flags (no server started).

The server itself, with a config file trying to undo the hardened settings, is in
tests/integration/test_serve_hardened_config.py.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.provisioning import KernelProvisionerFactory, LocalProvisioner
from traitlets.config import Config
from voila.app import Voila
from voila.notebook_renderer import NotebookRenderer

from netwise.app.config import NetwiseConfiguration
from netwise.app.server import PATCHED, NetwiseVoila
from netwise.cli import serve
from netwise.cli.main import main, parser
from netwise.kernels.fork import DEFAULT_PRELOAD, ForkingKernelManager, ProvisionedKernelManager
from netwise.kernels.provisioner import ForkProvisioner, QuickReadyClient
from support.paths import run_netwise

NETWISE_FLAGS = {
    "--help", "--config", "--curriculum", "--lang", "--region", "--lessons", "--host", "--port", "--pool", "--max-students",
    "--trusted-proxy", "--allow-host", "--debug", "--log-level", "--course", "--assignment",
}  # fmt: skip


def parse(*argv: str) -> argparse.Namespace:
    return parser().parse_args(["serve", *argv])


def app_for(*argv: str) -> NetwiseVoila:
    """The app the command line would make (not initialized: nothing is built or started)."""
    return NetwiseVoila(config=serve.settings(parse(*argv)))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_help_lists_only_netwises_own_flags_with_their_trait_defaults() -> None:
    result = run_netwise("serve", "--help")
    assert result.returncode == 0, result.stderr
    listed = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", result.stdout))
    assert listed == NETWISE_FLAGS  # no Voilà flag, and the test-only --cull-* stay hidden
    assert result.stdout.startswith("usage: netwise serve [-h] [--config FILE]")
    text = " ".join(result.stdout.split())
    assert "--port PORT port to listen on (default: 8866)" in text
    assert "--host HOST address to listen on; 0.0.0.0 for a class on the local network (default: 127.0.0.1)" in text
    assert "(default: 40)" in text and "(default: INFO)" in text
    assert NetwiseConfiguration.class_traits()["max_students"].default_value == 40  # the one place it is written


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--port", "x"], "argument --port: a port is a number from 1 to 65535, not 'x'"),
        (["--max-students", "0"], "argument --max-students: max_students must be at least 1, not 0"),
        (["--pool", "many"], "argument --pool: invalid value 'many'"),
        (["--log-level", "loud"], "argument --log-level: choose one of DEBUG, INFO, WARN, ERROR, CRITICAL"),
        (["--debug", "--log-level", "info"], "argument --log-level: not allowed with argument --debug"),
        (["--lang"], "argument --lang: expected one argument"),
    ],
)
def test_a_bad_flag_is_one_line_and_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", *argv])
    assert exited.value.code == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"netwise: error: {message}"), captured.err
    assert captured.out == ""


def test_a_bad_flag_from_the_installed_command_is_one_line() -> None:
    result = run_netwise("serve", "--max-students", "0")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "netwise: error: argument --max-students: max_students must be at least 1, not 0 (see 'netwise serve --help')"
    ]


def test_without_flags_every_default_is_the_traits() -> None:
    assert serve.settings(parse()) == Config()  # the command line writes no default of its own
    app = app_for()
    traits = NetwiseConfiguration.class_traits()
    for name in ("curriculum", "languages", "lessons", "pool", "max_students", "cull_idle_timeout", "cull_interval"):
        assert getattr(app.netwise, name) == traits[name].default(), name
    assert (app.ip, app.port, app.log_level) == ("127.0.0.1", Voila.class_traits()["port"].default_value, 20)


def test_each_flag_sets_its_trait(tmp_path: Path) -> None:
    app = app_for(
        "--curriculum", str(tmp_path), "--lang", "vi", "--lang", "en", "--region", "vn", "--lessons", "a, b,",
        "--host", "0.0.0.0",
        "--port", "9000", "--pool", "3", "--max-students", "12", "--cull-after", "5", "--cull-interval", "2",
        "--log-level", "warning",
    )  # fmt: skip
    n = app.netwise
    assert (n.curriculum, n.languages, n.region, n.lessons) == (str(tmp_path), ["vi", "en"], "vn", ["a", "b"])
    assert (n.pool, n.max_students, n.cull_idle_timeout, n.cull_interval) == (3, 12, 5, 2)
    assert (app.ip, app.port, app.log_level) == ("0.0.0.0", 9000, 30)
    assert app_for("--debug").log_level == 10


def test_a_config_file_is_loaded_and_flags_override_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = write(
        tmp_path / "serve_config.py",
        "c.NetwiseConfiguration.max_students = 30\n"
        "c.NetwiseConfiguration.pool = 2\n"
        "c.NetwiseConfiguration.languages = ['vi']\n"
        "c.NetwiseConfiguration.curriculum = 'my-curriculum'\n"
        "c.Voila.port = 9100\n"  # Voilà's own section works too; the flag still wins
        "c.NetwiseVoila.ip = '0.0.0.0'\n"
        "c.NetwiseVoila.log_level = 'ERROR'\n",
    )
    monkeypatch.chdir(tmp_path)
    app = app_for("--config", str(config), "--max-students", "12", "--port", "9200", "--debug")
    n = app.netwise
    assert (n.max_students, n.pool, n.languages) == (12, 2, ["vi"])
    assert n.curriculum == str(tmp_path / "my-curriculum")  # relative to the current folder
    assert (app.port, app.ip, app.log_level) == (9200, "0.0.0.0", 10)
    plain = app_for("--config", str(config))
    assert (plain.netwise.max_students, plain.port, plain.log_level) == (30, 9100, 40)


def test_a_json_config_file_works_too(tmp_path: Path) -> None:
    config = write(tmp_path / "serve.json", json.dumps({"NetwiseConfiguration": {"max_students": 7}}))
    assert app_for("--config", str(config)).netwise.max_students == 7


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("missing.py", None, "config file not found: "),
        ("broken.py", "c.NetwiseConfiguration.max_students = (\n", "cannot be read: SyntaxError"),
        ("zero.py", "c.NetwiseConfiguration.max_students = 0\n", "invalid setting: max_students must be at least 1"),
        ("port.py", "c.NetwiseVoila.port = 'eighty'\n", "invalid setting: The 'port' trait"),
        ("serve.yaml", "max_students: 3\n", "a config file is Python (.py) or JSON (.json)"),
    ],
)
def test_a_bad_config_file_is_one_line(
    tmp_path: Path, name: str, text: str | None, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    if text is not None:
        write(path, text)
    assert main(["serve", "--config", str(path)]) == 1  # fails before any server starts
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("netwise: error: ") and message in lines[0], lines


def test_the_hardened_settings_are_derived_after_everything_else() -> None:
    app = app_for("--pool", "2", "--cull-after", "7")
    forced = app.netwise.voila_config()
    v = forced.VoilaConfiguration
    assert (v.strip_sources, v.show_tracebacks, v.file_allowlist, v.file_denylist) == (True, False, [], [".*"])
    assert (v.template, v.allow_template_override, v.allow_theme_override) == ("netwise-lean", "NO", "NO")
    assert (v.progressive_rendering, v.preheat_kernel, v.default_pool_size) == (False, True, 2)
    own = forced.NetwiseVoila  # the app's own section: more specific than c.Voila in any file
    assert (own.open_browser, own.port_retries, own.tornado_settings, own.config_file_paths) == (False, 0, {}, [])
    assert forced.MappingKernelManager.cull_idle_timeout == 7
    assert forced.KernelProvisionerFactory.default_provisioner_name == "netwise-fork"
    assert "netwise.grading" not in " ".join(forced.ForkProvisioner.preload)  # the lesson app preloads no checks


def test_voila_still_looks_up_what_the_app_patches() -> None:
    """Fails when Voilà renames or stops looking up either patched name (see netwise/app/server.py)."""
    for module, name in PATCHED:
        assert hasattr(importlib.import_module(module), name), f"{module}.{name} is gone"
    # Both are read from the module at call time, so replacing the module's name takes effect.
    assert "VoilaExecutor" in NotebookRenderer._jinja_kernel_start.__code__.co_names
    assert "voila_kernel_manager_factory" in Voila.init_settings.__code__.co_names


def test_the_provisioner_is_found_through_its_entry_point() -> None:
    factory = KernelProvisionerFactory(
        config=Config({"KernelProvisionerFactory": {"default_provisioner_name": "netwise-fork"}})
    )
    assert factory.get_provisioner_entries()["netwise-fork"] == "netwise.kernels.provisioner:ForkProvisioner"
    spec = KernelSpec(name="python3", display_name="Python 3", language="python", argv=["python"], metadata={})
    provisioner: Any = factory.create_provisioner_instance("k1", spec, parent=None)
    assert type(provisioner) is ForkProvisioner and provisioner.preload == list(DEFAULT_PRELOAD)
    # A kernelspec naming its own provisioner still gets it: jupyter_client's rule, not ours.
    local = KernelSpec(
        name="other", display_name="Other", language="python", argv=["python"],
        metadata={"kernel_provisioner": {"provisioner_name": "local-provisioner"}},
    )  # fmt: skip
    assert type(factory.create_provisioner_instance("k2", local, parent=None)) is LocalProvisioner


def test_managers_without_a_parent_read_the_provisioner_from_their_own_config() -> None:
    course = Config(
        {
            "KernelProvisionerFactory": {"default_provisioner_name": "netwise-fork"},
            "ForkProvisioner": {"preload": ["netwise.widgets", "netwise.grading.graded_cells"]},
            "AsyncKernelManager": {"client_class": "netwise.kernels.provisioner.QuickReadyClient"},
        }
    )
    km = ProvisionedKernelManager(config=course)
    assert km.client_factory is QuickReadyClient
    plain = ProvisionedKernelManager()
    old = ForkingKernelManager()  # what course configs of netwise 0.1 name: forks unless told otherwise
    assert old.client_factory is QuickReadyClient and plain.client_factory is not QuickReadyClient
    # The provisioner itself is chosen when a kernel starts: see tests/integration/test_serve_hardened_config.py.
