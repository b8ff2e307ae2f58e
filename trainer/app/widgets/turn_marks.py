"""The line under a trainee message in practice mode: what the turn earned (✓) and missed (✗)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from trainer.scoring.coaching import Mark


class TurnMarks(Static):
    def __init__(self, marks: list[Mark]) -> None:
        super().__init__(self.describe(marks))
        self.marks = marks

    @staticmethod
    def describe(marks: list[Mark]) -> Content:
        if not marks:
            return Content.styled("no move the rubric counts", "$text-muted")
        parts: list[Content] = []
        for mark in marks:
            style = "$text-success" if mark.earned else "$text-error"
            parts.append(Content.styled(f"{mark.label} {'✓' if mark.earned else '✗'}", style))
        return Content("  ").join(parts)
