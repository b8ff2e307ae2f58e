"""The look of every screen, pinned at 80 and 120 columns (update with `pytest --snapshot-update`, then look)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.app_driver import GOOD, RUDE, app_for, choose, settle, type_reply
from tests.conftest import FIXTURES

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]


async def _call(pilot, mode: str = "practice") -> None:
    await choose(pilot, "aggressive")
    if mode == "exam":
        await pilot.press("m")
    await pilot.press("enter")
    await settle(pilot)


async def _practice(pilot) -> None:
    await _call(pilot)
    await type_reply(pilot, GOOD[0])
    await pilot.press("ctrl+g")
    await settle(pilot)


async def _exam(pilot) -> None:
    await _call(pilot, "exam")
    await type_reply(pilot, RUDE)


async def _debrief(pilot) -> None:
    await _call(pilot)
    for reply in GOOD:
        await type_reply(pilot, reply)
    await pilot.press("ctrl+e")
    await settle(pilot)


async def _history(pilot) -> None:
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)


async def _help(pilot) -> None:
    await _call(pilot)
    await pilot.press("f1")
    await settle(pilot)


async def _empty_name(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


@pytest.fixture
def signing_key() -> None:
    from trainer.config.settings import home
    from trainer.records.signing import init_keys

    init_keys(home())


@pytest.mark.parametrize("size", SIZES)
def test_choose_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=settle)


def test_trainee_question_refusing_an_empty_name(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path, trainee=""), terminal_size=(80, 24), run_before=_empty_name)


def test_choose_screen_light_theme(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path, theme="light"), terminal_size=(80, 24), run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_practice_call_with_marks_and_hint(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=_practice)


@pytest.mark.parametrize("size", SIZES)
def test_exam_call(snap_compare, tmp_path: Path, signing_key: None, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=_exam)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=_help)


@pytest.mark.parametrize("size", SIZES)
def test_debrief_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=_debrief)


@pytest.mark.parametrize("size", SIZES)
def test_history_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    for path in (FIXTURES / "history").iterdir():
        shutil.copy(path, tmp_path)
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=_history)
