"""Each rubric criterion of a session: how often it was met, as a bar and a count, graded ones first."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from trainer.scoring.scorer import CriterionResult

BAR = 10


class CriteriaTable(Static):
    def __init__(self, results: list[CriterionResult], *, id: str | None = None) -> None:
        super().__init__(self.describe(results), id=id)

    @staticmethod
    def describe(results: list[CriterionResult]) -> Content:
        lines: list[Content] = []
        for r in sorted(results, key=lambda r: not r.graded):
            if not r.graded:
                lines.append(Content.styled(f"{'–':>2} {'':{BAR}} {'':5} {r.criterion.title}", "$text-muted"))
                continue
            style = "$text-success" if r.rate >= 0.7 else "$text-warning" if r.rate >= 0.4 else "$text-error"
            filled = round(BAR * r.rate)
            lines.append(Content.assemble(
                ("✓ " if r.missed == 0 else "✗ ", style),
                ("█" * filled, style), ("░" * (BAR - filled), "$text-muted"),
                f" {r.met}/{r.met + r.missed:<3} ", r.criterion.title,
            ))
        return Content("\n").join(lines)
