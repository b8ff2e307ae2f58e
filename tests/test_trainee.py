"""The trainee's name: asked for once by the app, remembered, recorded in every transcript, shown as typed."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from textual.widgets import Input

from benchmarks.app_speed import Terminal
from tests.app_driver import GOOD, LIBRARY, PERSONA, TRAINEE, app_for, choose, flat, settle, shown, type_reply
from trainer.app import AppSettings, make_app
from trainer.app.screens.choose import ChooseScreen
from trainer.app.screens.conversation import ConversationScreen
from trainer.app.screens.debrief import DebriefScreen
from trainer.app.screens.trainee import TraineeScreen
from trainer.app.serve import app_command_line
from trainer.config.settings import UserError, home
from trainer.config.trainee import FILE, clean_name, remember_name, remembered_name, resolve_trainee

MARKUP_NAME = "[bold]Ana[/] Bērziņa"


def header(folder: Path) -> dict:
    (path,) = folder.glob("*.jsonl")
    return json.loads(path.read_text(encoding="utf-8").splitlines()[0])


async def type_name(pilot, text: str) -> None:
    pilot.app.screen.query_one("#trainee-name", Input).value = text
    await pilot.press("enter")
    await settle(pilot)


# The name itself.

def test_a_name_is_trimmed_and_its_runs_of_spaces_made_one() -> None:
    assert clean_name("  Ana \t  Bērziņa ") == "Ana Bērziņa"


@pytest.mark.parametrize("text", ["", "   ", "Ana\x1b[31m", "Ana\udcff", "A" * 101])
def test_what_cannot_be_a_name_is_refused(text: str) -> None:
    with pytest.raises(UserError):
        clean_name(text)


def test_a_remembered_name_comes_back_exactly(tmp_path: Path) -> None:
    name = 'Ana "Quotes" \\ Bērziņa [bold]x[/] 🙂'
    path = remember_name(name, tmp_path)
    assert path == tmp_path / FILE and remembered_name(tmp_path) == name


def test_an_unreadable_remembered_name_means_asking_again(tmp_path: Path) -> None:
    (tmp_path / FILE).write_text("name = [not a string", encoding="utf-8")
    assert remembered_name(tmp_path) == ""


def test_the_flag_beats_trainer_trainee_which_beats_the_remembered_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remember_name("File Name", tmp_path)
    assert resolve_trainee(None, folder=tmp_path) == "File Name"
    assert resolve_trainee(None, remember=False, folder=tmp_path) == ""  # a shared server remembers no one
    monkeypatch.setenv("TRAINER_TRAINEE", "  Env   Name ")
    assert resolve_trainee(None, folder=tmp_path) == "Env Name"
    assert resolve_trainee("Flag Name", folder=tmp_path) == "Flag Name"
    with pytest.raises(UserError, match="^--trainee: a name cannot hold control characters"):
        resolve_trainee("\x1b[2J", folder=tmp_path)


# In the app.

@pytest.mark.anyio
async def test_the_app_asks_for_the_name_before_the_first_call_and_records_it(tmp_path: Path) -> None:
    app = app_for(tmp_path, trainee="")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        question = app.screen
        assert isinstance(question, TraineeScreen) and "Who is practising?" in question.query_one("#trainee").border_title

        # An empty name is refused, and so is leaving without one.
        await type_name(pilot, "   ")
        assert app.screen is question
        assert "Type your name: it is recorded in every transcript" in flat(shown(question.query_one("#trainee-problem")))
        await pilot.press("escape")
        assert app.screen is question and "A name is needed" in shown(question.query_one("#trainee-problem"))

        # Markup in a name is shown as typed, on the choose screen, the call and the debrief.
        await type_name(pilot, f"  {MARKUP_NAME} ")
        assert isinstance(app.screen, ChooseScreen)
        assert f"practising: {MARKUP_NAME}" in shown(app.screen.query_one("Header"))
        await choose(pilot, "aggressive")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConversationScreen)
        assert f"{PERSONA.name} · practice · {MARKUP_NAME}" in shown(app.screen.query_one("#call-title"))
        await type_reply(pilot, GOOD[0])
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        assert f"Trainee: {MARKUP_NAME}" in shown(app.screen.query_one("#debrief-trainee"))

    assert header(tmp_path)["trainee"] == MARKUP_NAME
    assert remembered_name(home()) == MARKUP_NAME


@pytest.mark.anyio
async def test_the_name_is_not_asked_again_on_the_next_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    remember_name("Ana Bērziņa")
    monkeypatch.setenv("TRAINER_TRANSCRIPTS", str(tmp_path))
    app = make_app(AppSettings.load(animate=False))  # as `trainer` starts it
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ChooseScreen) and app.settings.trainee == "Ana Bērziņa"
        await choose(pilot, "aggressive")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConversationScreen)
    assert header(tmp_path)["trainee"] == "Ana Bērziņa"


@pytest.mark.anyio
async def test_trainer_trainee_skips_the_question_and_is_not_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAINER_TRAINEE", "Env Name")
    monkeypatch.setenv("TRAINER_TRANSCRIPTS", str(tmp_path))
    app = make_app(AppSettings.load(animate=False))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ChooseScreen) and app.settings.trainee == "Env Name"
    assert not (home() / FILE).exists()


@pytest.mark.anyio
async def test_t_changes_the_name_and_esc_keeps_it(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        assert isinstance(app.screen, TraineeScreen)
        assert app.screen.query_one("#trainee-name", Input).value == TRAINEE
        await pilot.press("escape")
        assert isinstance(app.screen, ChooseScreen) and app.settings.trainee == TRAINEE
        await pilot.press("t")
        await type_name(pilot, "Jānis Kalniņš")
        assert app.settings.trainee == "Jānis Kalniņš" and remembered_name() == "Jānis Kalniņš"
        assert "practising: Jānis Kalniņš" in shown(app.screen.query_one("Header"))


def test_trainer_trainee_flag_opens_the_app_without_asking(tmp_path: Path) -> None:
    """`trainer --trainee NAME` in a real terminal: the choose screen says who practises, and nothing asks."""
    env = {**os.environ, "TRAINER_TRANSCRIPTS": str(tmp_path), "TERM": "xterm-256color"}
    env.pop("TRAINER_TRAINEE", None)
    terminal = Terminal([str(Path(sys.executable).with_name("trainer")), "--trainee", "Flag Name"], env)
    try:
        terminal.wait_for("practising: Flag Name")
        terminal.wait_for(f"{len(LIBRARY.personas)} of {len(LIBRARY.personas)}")  # the library is on screen
        assert "Who is practising?" not in terminal.screen
    finally:
        terminal.close()
    assert not (home() / FILE).exists()


def test_serve_passes_the_trainee_to_each_browser_session_and_remembers_none() -> None:
    line = app_command_line("scripted", None, None, "Ana Bērziņa")
    assert "--trainee 'Ana Bērziņa'" in line and "--shared" in line
    assert "--trainee" not in app_command_line("scripted", None, None)

