"""The Textual app driven like a trainee would: choose a customer, take the call, read the debrief, look back."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.app_driver import (
    GOOD,
    LIBRARY,
    PERSONA,
    RUBRIC,
    RUBRIC_PATH,
    RUDE,
    app_for,
    choose,
    flat,
    messages,
    settle,
    shown,
    type_reply,
)
from tests.conftest import FIXTURES
from tests.openai_server import Behaviour
from tests.transcripts import rechain, write_lines
from tests.transcripts import records as transcript_records
from trainer.app.past_sessions import list_sessions
from trainer.app.screens.choose import ChooseScreen
from trainer.app.screens.conversation import ConversationScreen
from trainer.app.screens.debrief import DebriefScreen
from trainer.app.screens.history import HistoryScreen
from trainer.app.widgets.hint_panel import HintPanel
from trainer.app.widgets.mood_meter import MoodMeter
from trainer.app.widgets.reply_input import ReplyInput
from trainer.app.widgets.turn_marks import TurnMarks
from trainer.config.settings import resolve_llm
from trainer.engine.actors import ScriptedActor
from trainer.engine.session import CustomerTurn, new_session
from trainer.engine.stoppable import INTERRUPTED
from trainer.scoring.coaching import next_hint, turn_marks

pytestmark = pytest.mark.anyio


def records(folder: Path) -> list[dict]:
    (path,) = folder.glob("*.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def same_call(mode: str = "practice"):
    """The call the app should be playing, built from the core alone: the screen must show what it says."""
    return new_session(PERSONA, LIBRARY.paths[PERSONA.id], RUBRIC, RUBRIC_PATH, ScriptedActor(PERSONA, 0), mode=mode)


def customer_says(session, text: str) -> CustomerTurn:
    return [e for e in session.reply(text) if isinstance(e, CustomerTurn)][0]


async def test_practice_call_from_choice_to_debrief(tmp_path: Path) -> None:
    core = same_call()
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await settle(pilot)
        # Choose a customer: the whole library, then filtered, with the scenario previewed.
        screen = app.screen
        assert isinstance(screen, ChooseScreen)
        assert screen.query_one("#personas", OptionList).option_count == len(LIBRARY.personas)
        await choose(pilot, "aggressive")
        assert screen.query_one("#personas", OptionList).option_count == 1
        preview = flat(shown(screen.query_one("#preview")))
        assert PERSONA.name in preview and flat(PERSONA.scenario.problem)[:40] in preview
        assert "feedback on every reply" in shown(screen.query_one("#mode-help"))

        # The call opens with the customer's line and the mood meter.
        await pilot.press("enter")
        await settle(pilot)
        call = app.screen
        assert isinstance(call, ConversationScreen) and call.mode == "practice"
        opening = core.start()
        (first,) = messages(app)
        assert flat(shown(first)) == flat(f"{PERSONA.name} {opening.text}")
        assert call.query_one(MoodMeter).display and call.query_one(MoodMeter).mood == opening.decision.mood

        # First reply: the customer's scripted answer, the marks the turn earned and missed, the mood moved.
        await type_reply(pilot, GOOD[0])
        expected = customer_says(core, GOOD[0])
        _, mine, theirs = messages(app)
        assert mine.text == GOOD[0] and theirs.text == expected.text
        assert flat(expected.text) in flat(shown(theirs))
        marks = turn_marks(core.score())
        assert mine.query_one(TurnMarks).marks == marks
        assert flat(shown(mine.query_one(TurnMarks))) == flat("  ".join(
            f"{m.label} {'✓' if m.earned else '✗'}" for m in marks))
        assert any(m.earned for m in marks)
        assert call.query_one(MoodMeter).mood == expected.decision.mood
        assert call.query_one(ReplyInput).text == ""

        # The hint: the next most useful move, recorded with the reply that follows it.
        await pilot.press("ctrl+g")
        hint = next_hint(core.scorer, core.dialog())
        panel = call.query_one(HintPanel)
        assert panel.display and hint is not None and flat(hint.title) in flat(shown(panel))
        await type_reply(pilot, GOOD[1])
        expected = customer_says(core, GOOD[1])
        assert messages(app)[-1].text == expected.text
        assert not call.query_one(HintPanel).display
        trainee = [r for r in records(tmp_path) if r.get("role") == "trainee"]
        assert [r["hint_used"] for r in trainee] == [False, True]

        # End the call: the debrief with the score, the mood chart, each criterion, the moments.
        await pilot.press("ctrl+e")
        await settle(pilot)
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        result = core.end()
        text = flat(shown(debrief.query_one("#debrief")))
        verdict = "passed" if result.passed else "not passed"
        assert f"{result.score:.1f} / 100 · {verdict}" in text
        assert "Customer mood" in text and "Criteria" in text and "Strongest moments" in text
        for r in result.criteria:
            assert r.criterion.title in text
        assert f"{core.moods[0]} → {core.moods[-1]}" in text
        assert [r["outcome"] for r in records(tmp_path) if r["type"] == "end"] == ["hung_up"]
        assert "hung up" in flat(shown(debrief))

        # Save the HTML debrief, then retry the same customer, then pick another.
        await pilot.press("s")
        (saved,) = (tmp_path / "debriefs").glob("*.html")
        assert "<h1>Debrief</h1>" in saved.read_text(encoding="utf-8") and debrief.saved == saved
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ConversationScreen) and app.screen.persona.id == PERSONA.id
        assert flat(messages(app)[0].text) == flat(opening.text)  # the same seed: the same call again
        await pilot.press("ctrl+e")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ChooseScreen)
    assert len(list(tmp_path.glob("*.jsonl"))) == 2


async def test_exam_call_shows_no_feedback_until_the_debrief(tmp_path: Path) -> None:
    from trainer.config.settings import home
    from trainer.records.signing import init_keys

    init_keys(home())  # exams are signed
    core = same_call("exam")
    core.start()
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await choose(pilot, "aggressive")
        await pilot.press("m")
        assert "no feedback until the debrief" in shown(app.screen.query_one("#mode-help"))
        await pilot.press("enter")
        await settle(pilot)
        call = app.screen
        assert isinstance(call, ConversationScreen) and call.mode == "exam"
        assert not call.query_one(MoodMeter).display
        assert call.check_action("hint", ()) is False
        turns = 0
        while not core.finished:
            await type_reply(pilot, RUDE)
            expected = customer_says(core, RUDE)
            assert messages(app)[-1].text == expected.text
            turns += 1
            assert turns < 10
        await pilot.press("ctrl+g")
        assert not call.query(TurnMarks) and not call.query_one(HintPanel).display
        assert "The call has ended" in flat(shown(call.query_one("#chat")))
        assert call.query_one(ReplyInput).read_only
        await pilot.press("enter")  # the debrief, now that the customer has ended the call
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        result = core.end()
        text = flat(shown(app.screen.query_one("#debrief")))
        assert f"{PERSONA.name} · exam · {core.outcome.value.replace('_', ' ')}" in text
        assert f"{result.score:.1f} / 100 · not passed" in text and "Weakest moments" in text
    kinds = [r["type"] for r in records(tmp_path)]
    assert kinds[1] == "seal" and kinds[-3:] == ["end", "seal", "signature"]  # sealed from the header, signed at the end


async def test_exam_without_a_signing_key_says_how_to_make_one(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await choose(pilot, "aggressive")
        await pilot.press("m", "enter")
        await settle(pilot)
        assert "trainer keys init" in flat(shown(app.screen.query_one("#chat")))
        assert not list(tmp_path.glob("*.jsonl"))


async def test_customer_and_trainee_text_is_shown_as_plain_text(tmp_path: Path, variant) -> None:
    personas = tmp_path / "personas"
    personas.mkdir()
    shutil.copy(variant("persona_minimal.yaml", ("Where is order {{ facts.order }}?",
                                                 "'[bold]Where[/bold] is order [red]{{ facts.order }}[/]?'")), personas)
    app = app_for(tmp_path / "transcripts", personas=personas)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        opening = shown(messages(app)[0])
        assert "[bold]Where[/bold] is order [red]" in opening
        await type_reply(pilot, "Sorry, [bold]not bold[/bold] and \x1b[31mnot red\x1b[0m [link=x]y[/link]")
        mine = shown(messages(app)[1])
        assert "[bold]not bold[/bold]" in mine
        assert "␛[31mnot red␛[0m" in mine and "[link=x]y[/link]" in mine
        assert "\x1b" not in mine


async def test_the_reply_box_keeps_what_was_typed_when_the_model_fails(tmp_path: Path, fake_openai, monkeypatch) -> None:
    # The model answers 500: the reply that was sent stays in the chat, the scripted line takes over,
    # and what the trainee typed meanwhile is still in the box.
    monkeypatch.setenv("TRAINER_MAX_RETRIES", "0")
    fake_openai.default = Behaviour(status=500, stall=1.5)
    core = same_call()
    core.start()
    llm = resolve_llm(base_url=fake_openai.base_url, model="fake-model")
    app = app_for(tmp_path, backend="openai", llm=llm)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await choose(pilot, "aggressive")
        await pilot.press("enter")
        await settle(pilot)
        box = app.screen.query_one(ReplyInput)
        box.load_text(GOOD[0])
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert app.screen.replying
        await pilot.press(*"and then")
        await pilot.press("enter")  # refused while the customer speaks: kept, not sent
        await pilot.press(*" more")
        await settle(pilot)
        assert box.text == "and then more"
        expected = customer_says(core, GOOD[0])
        assert [m.text for m in messages(app)[1:]] == [GOOD[0], expected.text]
        shown_notices = " ".join(str(n.message) for n in app._notifications)
        assert "model unavailable" in shown_notices and "still speaking" in shown_notices
    assert len(fake_openai.requests) == 1


async def test_a_reply_that_fails_goes_back_into_the_box(tmp_path: Path) -> None:
    from textual.app import App, ComposeResult

    class Box(App[None]):
        def compose(self) -> ComposeResult:
            yield ReplyInput(id="reply")

    app = Box()
    async with app.run_test() as pilot:
        box = app.query_one(ReplyInput)
        await pilot.click(ReplyInput)
        await pilot.press(*"first", "ctrl+j", *"line two")
        assert box.take() == "first\nline two" and box.text == ""
        await pilot.press(*"typed since")
        box.give_back("first\nline two")
        assert box.text == "first\nline two\ntyped since"


async def test_stop_keeps_the_partial_line_marked_interrupted(tmp_path: Path, fake_openai) -> None:
    said = "Well. I have been waiting for ages. Nobody ever calls me back. Not once. Not about any of it."
    fake_openai.default = Behaviour(reply=said, pace=0.15)
    llm = resolve_llm(base_url=fake_openai.base_url, model="fake-model")
    app = app_for(tmp_path, backend="openai", llm=llm)
    async with app.run_test(size=(100, 40)) as pilot:
        await choose(pilot, "aggressive")
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one(ReplyInput).load_text(GOOD[0])
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause(0.05)
            if len(messages(app)[-1].text.split()) >= 3:
                break
        assert app.screen.check_action("stop", ()) is True
        await pilot.press("escape")
        await settle(pilot)
        line = messages(app)[-1]
        assert line.interrupted and "interrupted" in shown(line)
        assert said.startswith(line.text) and len(line.text) < len(said)
        assert not app.screen.replying
    customer = [r for r in records(tmp_path) if r.get("role") == "customer"]
    assert customer[-1]["text"] == line.text and INTERRUPTED in customer[-1]["notices"]
    assert customer[-1]["voice"]["by"] == "model"
    for _ in range(20):  # the request was closed, not left streaming in an abandoned thread
        if fake_openai.hung_up:
            break
        await asyncio.sleep(0.05)
    assert fake_openai.hung_up


async def test_history_lists_every_transcript_and_opens_one(tmp_path: Path) -> None:
    for path in (FIXTURES / "history").iterdir():
        shutil.copy(path, tmp_path)
    (tmp_path / "notes.txt").write_text("not a session", encoding="utf-8")
    rows = {s.path.name: s for s in list_sessions(tmp_path)}
    assert set(rows) == {p.name for p in (FIXTURES / "history").glob("*.jsonl")}
    results = sorted(s.result for s in rows.values())
    assert results == ["broken", "not passed", "passed", "unfinished"]
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        table = flat(shown(history.query_one("#sessions")))
        for s in rows.values():
            assert s.result in table
        assert "4 sessions" in shown(history.query_one("#history-note"))
        broken = next(i for i, s in enumerate(history.sessions.values()) if s.problem)
        history.query_one("#sessions").move_cursor(row=broken)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is history  # a broken file is reported, never opened, never fatal
        assert any("Cannot open" in str(n.title) for n in app._notifications)
        passed = next(i for i, s in enumerate(history.sessions.values()) if s.result == "passed")
        history.query_one("#sessions").move_cursor(row=passed)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        assert "passed" in flat(shown(app.screen.query_one("#verdict")))
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is history


async def test_history_shows_markup_in_a_transcript_header_as_typed(tmp_path: Path) -> None:
    source = FIXTURES / "history" / "20260302-1405-aggressive-broadband-outage-000000.jsonl"
    header, *rest = transcript_records(source)
    header = {**header, "persona_name": "[bold]x", "trainee": "[/]", "mode": "[/]"}
    write_lines(tmp_path / source.name, rechain([header, *rest]))
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        row = flat(shown(app.screen.query_one("#sessions"))).split("result", 1)[1]
        assert "2026-03-02 14:05 [bold]x [/]" in row
        assert "broken" not in row  # the file is intact; only its text looks like markup


@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_both_themes_and_the_theme_key(tmp_path: Path, theme: str) -> None:
    app = app_for(tmp_path, theme=theme)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.theme == f"textual-{theme}"
        await pilot.press("f2")
        assert app.theme == f"textual-{'dark' if theme == 'light' else 'light'}"
