"""Shared fixtures: run the real CLI, and write variants of small real files."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from trainer.cli import cli
from trainer.engine.session import fresh_seed as REAL_FRESH_SEED  # kept before any test patches it

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = Path(__file__).parent.parent
# The lemma tables are built once per simplemma version (seconds per language): tests share one folder across runs
# instead of a fresh one per test, and never the user's own cache.
os.environ.setdefault("TRAINER_CACHE", str(PROJECT / ".pytest_cache" / "trainer-cache"))


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run `trainer ARGS` in-process; exceptions that escape are test failures, not exit codes."""

    def run(*args: str, env: dict[str, str] | None = None) -> Run:
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def variant(tmp_path: Path) -> Callable[..., Path]:
    """Copy a fixture into tmp_path with text replaced, so a test shows exactly what it broke."""

    def make(fixture: str, *replacements: tuple[str, str], name: str | None = None) -> Path:
        text = (FIXTURES / fixture).read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, f"{old!r} is not in {fixture}"
            text = text.replace(old, new, 1)
        target = tmp_path / (name or fixture)
        target.write_text(text, encoding="utf-8")
        return target

    return make


@pytest.fixture
def fake_openai():
    """A real OpenAI-compatible server on 127.0.0.1 for the test's duration."""
    from tests.openai_server import FakeOpenAI

    server = FakeOpenAI()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _no_real_endpoints(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read the user's keys or config, and never reach a real endpoint."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "TRAINER_API_KEY", "TRAINER_BASE_URL", "TRAINER_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRAINER_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture(autouse=True)
def _frozen_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Calls draw seed 0 where the trainer would draw a fresh one, so what a test sees is the same every run.

    Tests of the drawing itself use `real_fresh_seed`.
    """
    monkeypatch.setattr("trainer.engine.session.fresh_seed", lambda: 0)


@pytest.fixture
def real_fresh_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("trainer.engine.session.fresh_seed", REAL_FRESH_SEED)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Where a records test's transcripts go."""
    return tmp_path / "transcripts"


@pytest.fixture
def key(run_cli) -> str:  # type: ignore[no-untyped-def]
    """This trainer's signing key, created with `trainer keys init`; returns its id."""
    import re

    result = run_cli("keys", "init")
    assert result.exit_code == 0, result.stderr
    return re.search(r"ed25519:[0-9a-f]{16}", result.stdout).group(0)  # type: ignore[union-attr]
