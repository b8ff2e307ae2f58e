"""Choose a customer: the persona library with filters, a preview of the scenario, and practice or exam mode."""

from __future__ import annotations

import threading

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
from trainer.content.catalogue import Entry, catalogue, kept_catalogue

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
        self._waiting: tuple[str, str] | None = None  # (persona id, mode) of a call asked for before the library loaded
        self._entries = catalogue(self.trainer.library.personas.values()) if self.trainer.library else None
        if self._entries is None:
            # The catalogue kept at the last start, if no persona file changed since: the list is drawn at once.
            self._entries = kept_catalogue(self.trainer.settings.personas)
        if self._entries is None:
            # Not `loading`: a loading widget cannot hold the focus, and the list should have it from the start.
            personas.add_option(Option(Content.styled("Loading the persona library…", "$text-muted"), disabled=True))
        else:
            self._fill()
        if self.trainer.library is None:
            drawn = threading.Event()
            self.call_after_refresh(drawn.set)
            self.load_library(drawn)

    @work(thread=True, exclusive=True, exit_on_error=False, name="library")
    def load_library(self, drawn: threading.Event) -> None:
        drawn.wait(1.0)  # the first screen is drawn before the library's imports compete with it for the interpreter
        from trainer.content.library import load_library_kept
        from trainer.content.loader import FileError, load_rubric
        from trainer.scoring.scorer import Scorer

        settings = self.trainer.settings
        library = load_library_kept(settings.personas)
        try:
            rubric, error = load_rubric(settings.rubric), ""
        except FileError as exc:
            rubric, error = None, str(exc)
        # One scorer for the app's lifetime: each language's detectors load once.
        self.post_message(LibraryLoaded(library, rubric, Scorer(rubric) if rubric is not None else None, error))

    @on(LibraryLoaded)
    def _loaded(self, event: LibraryLoaded) -> None:
        self.trainer.adopt_library(event.library, event.rubric, event.scorer)
        for problem in event.library.problems:
            self.notify(f"skipped: {problem}", severity="warning", markup=False, timeout=10)
        if event.error:
            self.notify(event.error, title="The rubric cannot be read", severity="error", markup=False, timeout=30)
        entries = catalogue(event.library.personas.values())
        if entries != self._entries:  # the list drawn from the catalogue is the library's own: nothing to redraw
            self._entries = entries
            self._fill()
        waiting, self._waiting = self._waiting, None
        self.query_one("#start", Button).loading = False
        if waiting is not None and self.is_current:
            self._open_call(*waiting)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.trainer.library_tried.set()
            self._waiting = None
            self.query_one("#start", Button).loading = False
            self.notify(str(event.worker.error), title="The library cannot be loaded", severity="error", markup=False)

    @property
    def mode(self) -> str:
        return "exam" if self.query_one("#mode-exam", RadioButton).value else "practice"

    @property
    def highlighted(self) -> Entry | None:
        personas = self.query_one("#personas", OptionList)
        if personas.highlighted is None or not self._entries:
            return None
        chosen = personas.get_option_at_index(personas.highlighted).id
        return next((e for e in self._entries if e.id == chosen), None)

    def _fill(self) -> None:
        if self._entries is None:
            return
        filters = self.query_one(PersonaFilters).filters
        chosen = [e for e in self._entries if filters.admit(e)]
        personas = self.query_one("#personas", OptionList)
        personas.clear_options()
        personas.add_options([Option(_label(e), id=e.id) for e in chosen])
        personas.border_subtitle = f"{len(chosen)} of {len(self._entries)}"
        if chosen:
            personas.highlighted = 0
        self.query_one(PersonaPreview).show(self.highlighted)

    @on(PersonaFilters.Changed)
    def _filter(self) -> None:
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
        entry = self.highlighted
        if entry is None:
            self.notify("No customer matches the filters.", severity="warning")
            return
        if self.trainer.library is None:  # listed from the catalogue: the call opens once the library has loaded
            self._waiting = (entry.id, self.mode)
            self.query_one("#start", Button).loading = True
            return
        self._open_call(entry.id, self.mode)

    def _open_call(self, persona_id: str, mode: str) -> None:
        persona = self.trainer.library.get(persona_id) if self.trainer.library else None
        if persona is None:  # gone from the library since the catalogue was kept
            self.notify("That customer is no longer in the library.", severity="warning")
            return
        if self.trainer.rubric is None:
            self.notify("The rubric cannot be read, so calls cannot be scored.", severity="error")
            return
        self.trainer.start_call(persona, mode)

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


def _label(entry: Entry) -> Content:
    details = f"{entry.type.replace('_', ' ')} · {entry.language} · {entry.difficulty}"
    return Content.assemble((visible_line(entry.name), "bold"), "\n", (details, "$text-muted"))
