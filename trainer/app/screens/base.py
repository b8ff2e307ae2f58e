"""The base of this app's screens: typed access to the state the App owns, and nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen, ScreenResultType

if TYPE_CHECKING:
    from trainer.app.app import TrainerApp


class TrainerScreen(Screen[ScreenResultType]):
    """A screen that reads the App's settings, library and scorer, and asks the App to go elsewhere.

    Screens never construct one another: they `dismiss` with a typed result, or ask
    the App (`trainer.start_call(...)`), which owns the navigation.
    """

    @property
    def trainer(self) -> TrainerApp:
        return cast("TrainerApp", self.app)
