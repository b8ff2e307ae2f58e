"""Choose a customer: the persona library with filters, a preview of the scenario, and practice or exam mode."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Footer, Header, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from trainer.app.messages import LibraryLoaded
from trainer.app.screens.base import TrainerScreen
from trainer.app.widgets.persona_filters import PersonaFilters
from trainer.app.widgets.persona_preview import PersonaPreview, visible_line
from trainer.content.persona import Persona

MODE_HELP = {
    "practice": "feedback on every reply",
    "exam": "no feedback until the debrief",
}


class ChooseScreen(TrainerScreen[None]):
    AUTO_FOCUS = "#personas"
    BINDINGS = [
        Binding("enter", "start", "Start call"),
        Binding("m", "toggle_mode", "Practice/exam"),
        Binding("h", "history", "History"),
        Binding("t", "change_trainee", "Trainee"),
        Binding("f2", "app.toggle_theme", "Theme"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield PersonaFilters(id="filters")
        with Horizontal(id="choose-body"):
            yield OptionList(id="personas")
            yield PersonaPreview(id="preview")
        with Horizontal(id="choose-actions"):
            with RadioSet(id="mode", compact=True):
                yield RadioButton("Practice", value=True, id="mode-practice", compact=True)
                yield RadioButton("Exam", id="mode-exam", compact=True)
            yield Static(MODE_HELP["practice"], id="mode-help")
            yield Button("Start call", id="start", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        personas = self.query_one("#personas", OptionList)
        personas.border_title = "Customers"
        self.query_one("#preview").border_title = "Scenario"
        self._show_trainee()
        if not self.trainer.settings.trainee:
            self.action_change_trainee()
        if self.trainer.library is None:
            # Not `loading`: a loading widget cannot hold the focus, and the list should have it from the start.
            personas.add_option(Option(Content.styled("Loading the persona library…", "$text-muted"), disabled=True))
            self.load_library()
        else:
            self._fill()

    @work(thread=True, exclusive=True, exit_on_error=False, name="library")
    def load_library(self) -> None:
        from trainer.content.library import load_library_kept
        from trainer.content.loader import FileError, load_rubric

        settings = self.trainer.settings
        library = load_library_kept(settings.personas)
        try:
            rubric, error = load_rubric(settings.rubric), ""
        except FileError as exc:
            rubric, error = None, str(exc)
        self.post_message(LibraryLoaded(library, rubric, error))

    @on(LibraryLoaded)
    def _loaded(self, event: LibraryLoaded) -> None:
        self.trainer.adopt_library(event.library, event.rubric)
        for problem in event.library.problems:
            self.notify(f"skipped: {problem}", severity="warning", markup=False, timeout=10)
        if event.error:
            self.notify(event.error, title="The rubric cannot be read", severity="error", markup=False, timeout=30)
        self._fill()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.notify(str(event.worker.error), title="The library cannot be loaded", severity="error", markup=False)

    @property
    def mode(self) -> str:
        return "exam" if self.query_one("#mode-exam", RadioButton).value else "practice"

    @property
    def highlighted(self) -> Persona | None:
        personas, library = self.query_one("#personas", OptionList), self.trainer.library
        if personas.highlighted is None or library is None:
            return None
        option = personas.get_option_at_index(personas.highlighted)
        return library.get(option.id) if option.id is not None else None

    def _fill(self) -> None:
        library = self.trainer.library
        if library is None:
            return
        filters = self.query_one(PersonaFilters).filters
        chosen = sorted(
            (p for p in library.personas.values() if filters.admit(p)),
            key=lambda p: (p.language.value != "en", p.language.value, p.type.value, p.id),
        )
        personas = self.query_one("#personas", OptionList)
        personas.clear_options()
        personas.add_options([Option(_label(p), id=p.id) for p in chosen])
        personas.border_subtitle = f"{len(chosen)} of {len(library.personas)}"
        if chosen:
            personas.highlighted = 0
        self.query_one(PersonaPreview).show(self.highlighted)

    @on(PersonaFilters.Changed)
    def _filter(self) -> None:
        if self.trainer.library is not None:
            self._fill()

    @on(OptionList.OptionHighlighted, "#personas")
    def _preview(self) -> None:
        self.query_one(PersonaPreview).show(self.highlighted)

    @on(OptionList.OptionSelected, "#personas")
    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        self.action_start()

    @on(RadioSet.Changed, "#mode")
    def _mode(self) -> None:
        self.query_one("#mode-help", Static).update(MODE_HELP[self.mode])

    def action_start(self) -> None:
        if not self.trainer.settings.trainee:
            self.action_change_trainee()
            return
        persona = self.highlighted
        if persona is None:
            self.notify("No customer matches the filters.", severity="warning")
            return
        if self.trainer.rubric is None:
            self.notify("The rubric cannot be read, so calls cannot be scored.", severity="error")
            return
        self.trainer.start_call(persona, self.mode)

    def action_toggle_mode(self) -> None:
        target = "#mode-practice" if self.mode == "exam" else "#mode-exam"
        self.query_one(target, RadioButton).value = True

    def action_change_trainee(self) -> None:
        self.trainer.ask_trainee()

    def on_screen_resume(self) -> None:
        self._show_trainee()  # the name may have changed while another screen was on top

    def _show_trainee(self) -> None:
        name = self.trainer.settings.trainee
        # The header's subtitle is plain text (Content), never markup; names hold no control characters.
        signed_in = self.trainer.settings.classroom
        if signed_in is not None:
            self.sub_title = f"signed in: {name} ({signed_in.role})"
            return
        self.sub_title = f"practising: {name}" if name else None  # None: the app's own subtitle

    def action_history(self) -> None:
        self.trainer.show_history()


def _label(persona: Persona) -> Content:
    details = f"{persona.type.value.replace('_', ' ')} · {persona.language.value} · {persona.difficulty.value}"
    return Content.assemble((visible_line(persona.name), "bold"), "\n", (details, "$text-muted"))
