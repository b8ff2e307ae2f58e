"""The customer's mood as a one-line meter: 0 calm to 100 furious, coloured by band."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from trainer.content.vocabulary import MoodBand

BAND_STYLE = {MoodBand.calm: "$text-success", MoodBand.annoyed: "$text-warning", MoodBand.angry: "$text-error"}


class MoodMeter(Widget):
    mood: reactive[int | None] = reactive(None)

    def render(self) -> Content:
        if self.mood is None:
            return Content.styled("mood …", "$text-muted")
        band = MoodBand.of(self.mood)
        width = max(6, self.size.width - 20)
        filled = round(width * self.mood / 100)
        return Content.assemble(
            "mood ",
            ("█" * filled, BAND_STYLE[band]),
            ("░" * (width - filled), "$text-muted"),
            f" {self.mood:3d} ",
            (band.value, BAND_STYLE[band]),
        )
