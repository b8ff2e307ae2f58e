"""One message in the call: who said it, the text exactly as said, and (in practice) the turn's marks."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from trainer.app.plain import plain
from trainer.app.widgets.turn_marks import TurnMarks
from trainer.scoring.coaching import Mark


class ChatMessage(Vertical):
    """A customer or trainee message; a customer line can grow piece by piece while it streams."""

    def __init__(self, role: str, speaker: str, text: str = "", *, streaming: bool = False) -> None:
        super().__init__(classes=f"message {role}")
        self.role = role
        self.speaker = speaker
        self.text = text
        self.streaming = streaming
        self.interrupted = False

    def compose(self) -> ComposeResult:
        yield Static(self._speaker(), classes="speaker")
        yield Static(self._body(), classes="body")

    def append(self, piece: str) -> None:
        self.text += piece
        self._refresh()

    def restart(self) -> None:
        self.text = ""
        self._refresh()

    def finish(self, text: str, interrupted: bool = False) -> None:
        self.text = text
        self.streaming = False
        self.interrupted = interrupted
        if interrupted:
            self.add_class("interrupted")
        self._refresh()

    def show_marks(self, marks: list[Mark]) -> None:
        self.mount(TurnMarks(marks))

    def _speaker(self) -> Content:
        return plain(f"{self.speaker} · interrupted" if self.interrupted else self.speaker)

    def _body(self) -> Content:
        if self.streaming and not self.text:
            return plain("…", "$text-muted")
        return plain(self.text + (" ⏹" if self.interrupted else ""))

    def on_mount(self) -> None:
        self._refresh()  # pieces may have arrived while the message was still being mounted

    def _refresh(self) -> None:
        for speaker in self.query(".speaker").results(Static):
            speaker.update(self._speaker())
        for body in self.query(".body").results(Static):
            body.update(self._body())
