"""The hint shown on request in practice mode: the next most useful move and words to try."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from trainer.app.plain import plain
from trainer.scoring.coaching import Hint


class HintPanel(Static):
    def show(self, hint: Hint) -> None:
        parts = [Content.assemble(("Hint: ", "bold"), plain(hint.title)), plain(hint.tip, "$text-muted")]
        if hint.example:
            parts.append(Content.assemble(("Try: ", "bold"), plain(f"“{hint.example}”")))
        self.update(Content("\n").join(parts))
        self.display = True

    def hide(self) -> None:
        self.display = False
