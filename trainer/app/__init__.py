"""The Textual app: choose a customer, take the call, read the debrief, look back at past sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainer.app.settings import AppSettings

if TYPE_CHECKING:
    from trainer.app.app import TrainerApp


def make_app(settings: AppSettings | None = None) -> TrainerApp:
    """The one way to build the app: for `trainer`, `trainer serve` and the tests alike."""
    from trainer.app.app import TrainerApp

    return TrainerApp(settings or AppSettings.load())


__all__ = ["AppSettings", "make_app"]
