"""The debrief: score and pass/fail, the mood chart, each criterion, the moments, and what to do next."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Collapsible, Footer, Header, Static

from trainer.app.call_report import CallReport
from trainer.app.plain import plain
from trainer.app.screens.base import TrainerScreen
from trainer.app.widgets.chat_message import ChatMessage
from trainer.app.widgets.criteria_table import CriteriaTable
from trainer.app.widgets.mood_chart import MoodChart
from trainer.scoring.debrief import Moment

QUOTE = 300  # characters of a moment's turn shown; the transcript below has it whole


DebriefChoice = Literal["retry", "another", "back"]


class DebriefScreen(TrainerScreen[DebriefChoice]):
    """The debrief of one call; dismissed with what the trainee wants next, which the App carries out."""

    BINDINGS = [
        Binding("s", "save", "Save HTML"),
        Binding("r", "retry", "Retry"),
        Binding("a", "another", "Another customer"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, report: CallReport) -> None:
        super().__init__()
        self.report = report
        self.saved: Path | None = None

    def compose(self) -> ComposeResult:
        report, score = self.report, self.report.score
        yield Header()
        with VerticalScroll(id="debrief"):
            yield Static(plain(report.title), id="debrief-title")
            yield Static(plain(f"Trainee: {report.trainee or '(no name)'}", "$text-muted"), id="debrief-trainee")
            verdict = "passed" if score.passed else "not passed"
            yield Static(Content.assemble(
                (f"{score.score:.1f} / 100 · {verdict}", "bold $text-success" if score.passed else "bold $text-error"),
                (f"   ({score.rubric.pass_threshold:g} needed to pass)", "$text-muted"),
            ), id="verdict")
            yield Static("Customer mood", classes="section")
            yield MoodChart(report.debrief.mood, id="mood-chart")
            yield Static("Criteria", classes="section")
            yield CriteriaTable(score.criteria, id="criteria")
            yield Static("Strongest moments", classes="section")
            for moment in report.debrief.strongest:
                yield Static(_moment(moment, strong=True), classes="moment")
            if not report.debrief.strongest:
                yield Static("No turn met a criterion yet.", classes="moment muted")
            yield Static("Weakest moments", classes="section")
            for moment in report.debrief.weakest:
                yield Static(_moment(moment, strong=False), classes="moment")
            if not report.debrief.weakest:
                yield Static("No criterion was missed.", classes="moment muted")
            yield Static("Practise next", classes="section")
            yield Static(_practise(report), id="practise")
            with Collapsible(title="Transcript", collapsed=True, id="transcript"):
                for turn in score.turns:
                    speaker = "You" if turn.role.value == "trainee" else (
                        report.persona.name if report.persona else "Customer")
                    yield ChatMessage(turn.role.value, speaker, turn.text)
        with Horizontal(id="debrief-actions"):
            yield Button("Save HTML", id="save", compact=True)
            yield Button("Retry", id="retry", compact=True, disabled=report.persona is None)
            yield Button("Another customer", id="another", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#debrief").focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        try:
            path = self.report.save_html(self.trainer.settings.transcripts)
        except OSError as exc:
            self.notify(f"{exc}", title="Cannot save the debrief", severity="error", markup=False)
            return
        self.saved = path
        self.notify(str(path), title="Debrief saved", markup=False)

    @on(Button.Pressed, "#retry")
    def action_retry(self) -> None:
        if self.report.persona is None:
            self.notify("That customer is no longer in the library.", severity="warning")
            return
        self.dismiss("retry")

    @on(Button.Pressed, "#another")
    def action_another(self) -> None:
        self.dismiss("another")

    def action_back(self) -> None:
        self.dismiss("back")


def _moment(moment: Moment, strong: bool) -> Content:
    text = moment.turn.text if len(moment.turn.text) <= QUOTE else moment.turn.text[: QUOTE - 1] + "…"
    parts = [
        Content.styled(f"Turn {moment.turn.index}", "bold"),
        plain(f"“{text}”"),
    ]
    if strong:
        parts.append(Content.styled("✓ " + " · ".join(c.title for c in moment.met), "$text-success"))
    else:
        parts.append(Content.styled("✗ " + " · ".join(c.title for c in moment.missed), "$text-error"))
        if moment.better:
            parts.append(Content.assemble(("Better: ", "bold"), plain(f"“{moment.better}”")))
    return Content("\n").join(parts)


def _practise(report: CallReport) -> Content:
    lines = []
    for p in report.debrief.practise:
        line = Content.assemble((p.criterion.title, "bold"), f" ({round(p.rate * 100)}% met). ", plain(p.tip))
        if p.personas:
            line = line + Content.styled(" Try: " + ", ".join(pid for pid, _ in p.personas) + ".", "$text-muted")
        lines.append(line)
    return Content("\n").join(lines) if lines else Content("Nothing stands out: try a harder customer.")
