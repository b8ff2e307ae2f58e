"""The Textual application: holds the settings, the library and the rubric, and owns the way from screen to screen.

Screens dismiss with what happened (a call's report, the trainee's choice after a
debrief, a name) or ask for a screen by name; only this class constructs them.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from trainer.app.screens.choose import ChooseScreen
from trainer.app.settings import AppSettings

if TYPE_CHECKING:  # the scorer and the call's machinery load with the library, after the first screen is drawn
    from trainer.app.call_report import CallReport
    from trainer.app.screens.debrief import DebriefChoice
    from trainer.content.library import Library
    from trainer.content.persona import Persona
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
        self.library_tried = threading.Event()  # set once the choose screen has loaded the library, or failed to
        self.theme = THEMES[settings.theme]
        if not settings.animate:
            self.animation_level = "none"

    def get_default_screen(self) -> ChooseScreen:
        """The choice of customer is the first screen, and the one every way back leads to."""
        return ChooseScreen()

    def on_mount(self) -> None:
        if not self.settings.trainee:  # asked once the choose screen is up, so it shows through, dimmed
            self.ask_trainee()

    def adopt_library(self, library: Library, rubric: Rubric | None, scorer: Scorer | None) -> None:
        """The library, the rubric and the one scorer of the app's lifetime (each language's detectors load once)."""
        self.library = library
        self.rubric = rubric
        self.scorer = scorer
        self.library_tried.set()

    def loaded(self, wait: float = 0.0) -> tuple[Library, Rubric, Scorer]:
        """The library, rubric and scorer; screens that take calls open only once the choose screen has them.

        A worker thread may `wait` that many seconds for them: the choose screen loads them after it is drawn.
        """
        if wait:
            self.library_tried.wait(wait)
        if self.library is None or self.rubric is None or self.scorer is None:
            raise RuntimeError("the persona library and rubric are not loaded yet")
        return self.library, self.rubric, self.scorer

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
        while len(self.screen_stack) > 1 and not isinstance(self.screen, ChooseScreen):
            self.pop_screen()

    # The screens after the first are imported when first opened: the choice of customer is drawn sooner.

    def ask_trainee(self) -> None:
        """Who is practising: asked before the first call, and whenever the trainee wants to change it."""
        if self.settings.classroom is not None:  # the name is the signed-in one; nobody types another
            self.notify(f"Signed in as {self.settings.classroom.name}: sign out at /signout to practise as someone "
                        "else.", title="Name from the classroom sign-in", markup=False)
            return
        from trainer.app.screens.trainee import TraineeScreen

        self.push_screen(TraineeScreen(self.settings.trainee, self.settings.animate), self._trainee_chosen)

    def _trainee_chosen(self, name: str | None) -> None:
        if name:
            self.adopt_trainee(name)

    def start_call(self, persona: Persona, mode: str) -> None:
        from trainer.app.screens.conversation import ConversationScreen

        self.push_screen(ConversationScreen(persona, mode), self._call_ended)

    def _call_ended(self, report: CallReport | None) -> None:
        if report is not None:
            self.show_debrief(report)

    def show_debrief(self, report: CallReport) -> None:
        """A call's debrief, after the call or from the history; what comes next is the trainee's choice."""
        from trainer.app.screens.debrief import DebriefScreen

        self.push_screen(DebriefScreen(report), lambda choice: self._after_debrief(report, choice))

    def _after_debrief(self, report: CallReport, choice: DebriefChoice | None) -> None:
        if choice == "retry" and report.persona is not None:
            self.start_call(report.persona, report.mode)
        elif choice == "another":
            self.show_choose()

    def show_history(self) -> None:
        from trainer.app.screens.history import HistoryScreen

        self.push_screen(HistoryScreen())

    def show_help(self, mode: str) -> None:
        from trainer.app.screens.help import HelpScreen

        self.push_screen(HelpScreen(mode))

    def action_toggle_theme(self) -> None:
        self.theme = THEMES["light"] if self.theme == THEMES["dark"] else THEMES["dark"]
