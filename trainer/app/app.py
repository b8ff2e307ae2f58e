"""The Textual application: holds the settings, the library and the rubric; the screens do the rest."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from trainer.app.screens.choose import ChooseScreen
from trainer.app.settings import AppSettings
from trainer.content.library import Library
from trainer.content.rubric import Rubric
from trainer.scoring.scorer import Scorer

THEMES = {"dark": "textual-dark", "light": "textual-light"}


class TrainerApp(App[None]):
    CSS_PATH = "trainer.tcss"
    TITLE = "trainer"
    SUB_TITLE = "practise difficult customers"
    BINDINGS = [Binding("f2", "toggle_theme", "Theme", show=False)]

    def __init__(self, settings: AppSettings) -> None:
        super().__init__()
        self.settings = settings
        self.library: Library | None = None
        self.rubric: Rubric | None = None
        self.scorer: Scorer | None = None
        self.theme = THEMES[settings.theme]
        if not settings.animate:
            self.animation_level = "none"

    def on_mount(self) -> None:
        self.push_screen(ChooseScreen())

    def adopt_library(self, library: Library, rubric: Rubric | None) -> None:
        self.library = library
        self.rubric = rubric
        # One scorer for the app's lifetime: each language's detectors load once.
        self.scorer = Scorer(rubric) if rubric is not None else None

    def adopt_trainee(self, name: str) -> None:
        """From now on calls are recorded under this name; remembered for the next start unless on a shared server."""
        self.settings = self.settings.but(trainee=name)
        if not self.settings.remember_trainee:
            return
        from trainer.config.trainee import remember_name

        try:
            remember_name(name)
        except OSError as exc:
            self.notify(f"{exc}", title="The name will be asked again next time", severity="warning", markup=False)

    def show_choose(self) -> None:
        """Back to the choice of customer, whatever lies between."""
        while len(self.screen_stack) > 2 and not isinstance(self.screen, ChooseScreen):
            self.pop_screen()

    def action_toggle_theme(self) -> None:
        self.theme = THEMES["light"] if self.theme == THEMES["dark"] else THEMES["dark"]
