"""Who is practising: asks for the trainee's name, which every transcript records; returns it with `dismiss`."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from trainer.app.plain import plain
from trainer.config.trainee import LONGEST, clean_name
from trainer.errors import UserError


class TraineeScreen(ModalScreen[str]):
    """Enter confirms; Esc keeps the current name, and is refused while there is none."""

    BINDINGS = [Binding("escape", "keep", "Keep the name", show=False)]

    def __init__(self, current: str = "", blink: bool = True) -> None:
        super().__init__()
        self.current = current
        self.blink = blink

    def compose(self) -> ComposeResult:
        with Vertical(id="trainee"):
            yield Static("Your name is recorded in every transcript; exams count towards a certificate "
                         "only under it.", markup=False)
            yield Input(self.current, placeholder="First and last name", max_length=LONGEST, id="trainee-name")
            yield Static("", id="trainee-problem")
            yield Static("Enter confirms" + ("; Esc keeps the name as it was." if self.current else "."),
                         markup=False, classes="muted", id="trainee-keys")

    def on_mount(self) -> None:
        self.query_one("#trainee").border_title = "Who is practising?"
        self.query_one("#trainee-name", Input).cursor_blink = self.blink

    @on(Input.Submitted, "#trainee-name")
    def _confirm(self, event: Input.Submitted) -> None:
        try:
            name = clean_name(event.value)
        except UserError as exc:
            self._problem(str(exc))
            return
        self.dismiss(name)

    def action_keep(self) -> None:
        if self.current:
            self.dismiss(self.current)
        else:
            self._problem("a name is needed before the first call")

    def _problem(self, text: str) -> None:
        problem = self.query_one("#trainee-problem", Static)
        problem.update(plain(f"{text[:1].upper()}{text[1:]}.", "$text-error"))
        problem.display = True
