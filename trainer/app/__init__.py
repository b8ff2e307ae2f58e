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


def run_app(settings: AppSettings) -> None:
    """Build the app and run it until the trainee quits: `trainer` in a terminal, and each tab of `trainer serve`."""
    app = make_app(settings)
    import gc

    # Everything imported by now lives as long as the app: no collection need walk it again (a 15 ms pause
    # before the first screen is drawn, otherwise).
    gc.freeze()
    app.run()


__all__ = ["AppSettings", "make_app", "run_app"]
