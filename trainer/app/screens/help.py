"""Help during a call: the keys, and what practice and exam mode show."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = """\
Enter      send your reply
Ctrl+J     a new line in your reply (also Shift+Enter or Alt+Enter,
           where the terminal tells them apart)
Esc        stop the customer mid-line: what was said stays, marked
           as interrupted
Ctrl+G     hint: the next most useful move (practice only; the
           transcript records that you used it)
Ctrl+S     hand the call over to a supervisor
Ctrl+E     end the call and see the debrief
F1         this help
Ctrl+Q     quit"""

MODES = {
    "practice": "Practice: under each of your replies, the moves it earned (✓) and missed (✗); "
                "the mood meter shows how the customer feels.",
    "exam": "Exam: no feedback, hints or mood until the debrief. The call is scored the same way.",
}


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "app.pop_screen", "Close")]

    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(KEYS, markup=False)
            yield Static(MODES[self.mode], markup=False, id="help-mode")
            yield Static("Esc closes this help.", markup=False, classes="muted")

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Help"
