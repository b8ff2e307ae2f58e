"""Helpers for driving the Textual app in tests: start it on real files, let workers finish, read what is shown."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Select

from tests.conftest import PROJECT
from trainer.app import AppSettings, make_app
from trainer.app.app import TrainerApp
from trainer.app.widgets.chat_message import ChatMessage
from trainer.app.widgets.reply_input import ReplyInput
from trainer.content.library import load_library
from trainer.content.loader import load_rubric

LIBRARY = load_library(PROJECT / "personas")
RUBRIC_PATH = PROJECT / "rubrics" / "default.yaml"
RUBRIC = load_rubric(RUBRIC_PATH)
PERSONA = LIBRARY.get("aggressive-broadband-outage")
GOOD = [
    "I'm so sorry about the outage. Let me make sure I understand: your broadband has been down since Monday?",
    "I will send an engineer tomorrow between 9 and 11 and call you at 5 pm to confirm.",
]
RUDE = "NO. That is YOUR fault and I CAN'T do anything about it!!!"
TRAINEE = "Test Trainee"


def messages(app) -> list[ChatMessage]:
    return list(app.screen.query("#chat ChatMessage").results(ChatMessage))


async def type_reply(pilot: Pilot, text: str) -> None:
    pilot.app.screen.query_one(ReplyInput).load_text(text)
    await pilot.press("enter")
    await settle(pilot)


async def choose(pilot: Pilot, persona_type: str, language: str = "en") -> None:
    """Filter the library down to one type and language (the first match is highlighted)."""
    await settle(pilot)
    screen = pilot.app.screen
    screen.query_one("#filter-type", Select).value = persona_type
    screen.query_one("#filter-language", Select).value = language
    await pilot.pause()


def app_for(transcripts: Path, **options: object) -> TrainerApp:
    """The app as `trainer` builds it, saving into `transcripts`, with the cursor blink and animations off.

    The trainee is known (`trainee=""` for an app that must ask for the name first).
    """
    settings = AppSettings(
        personas=PROJECT / "personas", rubric=RUBRIC_PATH, transcripts=transcripts, trainee=TRAINEE, animate=False,
    ).but(**options)
    return make_app(settings)


async def settle(pilot: Pilot) -> None:
    """Wait until every worker has finished and the messages they posted have been handled."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.pause(0.05)


def shown(widget: Widget) -> str:
    """The text a widget draws, as the terminal shows it (wrapped, no markup), its children included."""
    lines: list[str] = []
    if widget.size.area and not widget.children:  # a container draws only its frame
        width, height = widget.size
        lines += [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, width, height))]
    for child in widget.children:
        if child.display:
            lines.append(shown(child))
    return "\n".join(line for line in lines if line.strip())


def flat(text: str) -> str:
    """Wrapped screen text as one line of words, to look for sentences that wrapped."""
    return " ".join(text.split())
