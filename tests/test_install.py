"""`pip install .` (not editable) gives a working `trainer`: the library ships inside the wheel, transcripts go to the data folder."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import setuptools
from packaging.version import Version

from tests.conftest import PROJECT
from trainer.content.library import load_library

SOURCES = ["pyproject.toml", "README.md", "trainer", "personas", "rubrics"]
LIMIT = 60  # seconds for any one step; the whole test takes a few


def _can_build_offline() -> bool:
    """Without build isolation pip uses this environment's setuptools, which makes wheels by itself from 70.1."""
    return Version(setuptools.__version__) >= Version("70.1") or importlib.util.find_spec("wheel") is not None


@pytest.fixture
def wheel(tmp_path: Path) -> Path:
    """The project's wheel, built offline from a copy of the checkout (so parallel runs share no build/ folder)."""
    if not _can_build_offline():
        message = (f"setuptools {setuptools.__version__} cannot build a wheel without the network: "
                   "reinstall the test extra (pip install -e '.[test]') for setuptools >= 70.1")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    source = tmp_path / "source"
    for name in SOURCES:
        if (PROJECT / name).is_dir():
            shutil.copytree(PROJECT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy(PROJECT / name, source / name)
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index",
         "-w", str(tmp_path / "dist"), str(source))
    (built,) = (tmp_path / "dist").glob("trainer-*.whl")
    return built


def test_wheel_holds_the_package_the_persona_library_and_the_rubrics(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"trainer/_library/{p.relative_to(PROJECT).as_posix()}"
                for folder in ("personas", "rubrics") for p in (PROJECT / folder).rglob("*") if p.is_file()}
    expected |= {p.relative_to(PROJECT).as_posix() for p in (PROJECT / "trainer").rglob("*")
                 if p.is_file() and p.suffix in (".py", ".yaml", ".j2", ".tcss")}
    assert expected - names == set()
    assert len([n for n in names if n.startswith("trainer/_library/personas/") and n.endswith(".yaml")]) == 34
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "trainer = trainer.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_trainer_lists_the_library_and_saves_transcripts_in_the_data_folder(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    _run(sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(site), str(wheel))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("TRAINER_") and name != "PYTHONPATH"}
    env.update(PYTHONPATH=str(site), HOME=str(tmp_path / "user"), TRAINER_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    trainer = str(site / "bin" / "trainer")

    listed = json.loads(_run(trainer, "personas", "list", "--json", cwd=elsewhere, env=env))
    assert sorted(p["id"] for p in listed) == sorted(load_library(PROJECT / "personas").personas)
    assert len(listed) == 34

    replies = tmp_path / "replies.txt"
    replies.write_text("I'm so sorry about the outage. I will send an engineer tomorrow at 9.\n/end\n", encoding="utf-8")
    played = json.loads(_run(trainer, "play", "--persona", "aggressive-broadband-outage", "--replies", str(replies),
                             "--json", cwd=elsewhere, env=env).splitlines()[-1])
    transcript = Path(played["transcript"])
    if not transcript.is_absolute():
        transcript = elsewhere / transcript
    assert transcript.parent == tmp_path / "data" / "trainer" / "transcripts" and transcript.is_file()
    assert json.loads(transcript.read_text(encoding="utf-8").splitlines()[0])["persona_id"] == "aggressive-broadband-outage"


def _run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=LIMIT)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout
