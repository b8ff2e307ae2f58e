"""The trainee's multi-line reply box: Enter sends, Ctrl+J (or Shift/Alt+Enter) starts a new line."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

NEWLINE_KEYS = ("ctrl+j", "shift+enter", "alt+enter")


class ReplyInput(TextArea):
    """What is typed stays here until the call takes it; nothing in it is ever thrown away."""

    BINDINGS = [
        Binding("enter", "send", "Send"),
        Binding("ctrl+j", "newline", "New line"),
    ]

    class Send(Message):
        """The trainee pressed Enter; the screen decides whether the reply can go now."""

        def __init__(self, reply_input: ReplyInput, text: str) -> None:
            super().__init__()
            self.reply_input = reply_input
            self.text = text

        @property
        def control(self) -> ReplyInput:
            return self.reply_input

    def __init__(self, *, id: str | None = None, placeholder: str = "") -> None:
        super().__init__(
            id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus",
            highlight_cursor_line=False, placeholder=placeholder,
        )

    async def _on_key(self, event: events.Key) -> None:
        # TextArea turns Enter into a newline before bindings are seen, so the keys are taken here.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.action_send()
            return
        if event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            self.action_newline()
            return
        await super()._on_key(event)

    def action_send(self) -> None:
        self.post_message(self.Send(self, self.text))

    def action_newline(self) -> None:
        if not self.read_only:
            self.insert("\n")

    def take(self) -> str:
        """Empty the box and return what was in it."""
        text = self.text
        self.clear()
        return text

    def give_back(self, text: str) -> None:
        """Put a reply that did not go back in the box, ahead of anything typed since."""
        typed = self.text
        self.load_text(text if not typed.strip() else f"{text}\n{typed}")
        self.move_cursor(self.document.end)
