"""The customer's mood across the call as a bar chart in the terminal, one bar per customer turn."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from trainer.app.widgets.mood_meter import BAND_STYLE
from trainer.content.vocabulary import MoodBand

EIGHTHS = " ▁▂▃▄▅▆▇█"
ROWS = 6
AXIS = {0: "100", ROWS // 2: " 50", ROWS - 1: "  0"}


class MoodChart(Widget):
    def __init__(self, mood: list[int], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.mood = mood

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return ROWS + 2 if self.mood else 1

    def render(self) -> Content:
        if not self.mood:
            return Content.styled("No mood recorded for this session.", "$text-muted")
        # Up to 3 columns per turn; long calls keep only the latest turns that fit.
        room = max(1, (self.size.width or 80) - 5)
        step = 3 if len(self.mood) * 3 <= room else 2 if len(self.mood) * 2 <= room else 1
        shown = self.mood[-(room // step):]
        lines: list[Content] = []
        for row in range(ROWS):
            floor = (ROWS - 1 - row) * 8
            parts: list[str | tuple[str, str]] = [f"{AXIS.get(row, '   ')}┤"]
            for value in shown:
                eighths = round(value / 100 * ROWS * 8)
                block = EIGHTHS[max(0, min(8, eighths - floor))]
                parts.append((block * (step - 1 if step > 1 else 1), BAND_STYLE[MoodBand.of(value)]))
                if step > 1:
                    parts.append(" ")
            lines.append(Content.assemble(*parts))
        lines.append(Content("   └" + "─" * (len(shown) * step)))
        start = "start" if len(shown) == len(self.mood) else f"turn {len(self.mood) - len(shown) + 1}"
        lines.append(Content.styled(
            f"    {start} → end: {self.mood[0]} → {self.mood[-1]} (0 calm, 100 furious)", "$text-muted"
        ))
        return Content("\n").join(lines)
