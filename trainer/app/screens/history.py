"""Past sessions from the transcripts folder: date, customer, mode, score and result; open one for its debrief."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState

from trainer.app.messages import ReportReady, SessionsListed
from trainer.app.past_sessions import PastSession
from trainer.app.plain import plain, plain_cell
from trainer.app.screens.base import TrainerScreen
from trainer.wording import plural


class HistoryScreen(TrainerScreen[None]):
    BINDINGS = [
        Binding("enter", "open", "Open", show=False),
        Binding("f5", "refresh", "Refresh"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sessions: dict[str, PastSession] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="history-note")
        yield Footer()

    @property
    def _cohort(self) -> bool:
        """A trainer in a classroom sees everyone's sessions, so each row says whose it is."""
        classroom = self.trainer.settings.classroom
        return classroom is not None and classroom.sees_cohort

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("started (UTC)", *(["trainee"] if self._cohort else []), "customer", "mode", "score",
                          "result")
        table.border_title = "Past sessions"
        table.focus()
        self.action_refresh()

    def action_refresh(self) -> None:
        self.query_one(DataTable).loading = True
        self.list_sessions()

    @work(thread=True, exclusive=True, exit_on_error=False, name="list")
    def list_sessions(self) -> None:
        from trainer.app.past_sessions import list_sessions

        settings = self.trainer.settings
        self.post_message(SessionsListed(list_sessions(settings.transcripts, settings.classroom)))

    @on(SessionsListed)
    def _listed(self, event: SessionsListed) -> None:
        table = self.query_one(DataTable)
        table.loading = False
        table.clear()
        self.sessions = {}
        for s in event.sessions:
            key = str(s.path)
            self.sessions[key] = s
            score = f"{s.score:.1f}" if s.score is not None else "–"
            # DataTable reads a str as markup; a header holding "[/]" would take the screen down, so every cell is plain.
            cells = (s.started or "?", *([s.trainee] if self._cohort else []), s.persona, s.mode or "?", score,
                     _result(s))
            table.add_row(*(plain_cell(cell) for cell in cells), key=key)
        folder = self.trainer.settings.transcripts
        self.query_one("#history-note", Static).update(plain(
            f"{plural(len(event.sessions), 'session')}. Enter opens one to read it and its debrief."
            if event.sessions else f"No sessions yet in {folder}."
        ))

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not self.sessions or table.cursor_row is None:
            return
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        chosen = self.sessions.get(str(key))
        if chosen is None:
            return
        if chosen.problem:
            self.notify(f"{chosen.path.name}: {chosen.problem}", title="Cannot open", severity="error", markup=False)
            return
        self.open_session(chosen.path)

    @work(thread=True, exclusive=True, exit_on_error=False, name="open")
    def open_session(self, path: Path) -> None:
        from trainer.app.call_report import report_from_transcript

        library, _, scorer = self.trainer.loaded(wait=60)  # opened before the library has loaded: it soon will
        self.post_message(ReportReady(report_from_transcript(path, library, scorer)))

    @on(ReportReady)
    def _opened(self, event: ReportReady) -> None:
        self.trainer.show_debrief(event.report)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.query_one(DataTable).loading = False
            self.notify(str(event.worker.error), title="Cannot open", severity="error", markup=False)

    def action_back(self) -> None:
        self.dismiss(None)


def _result(s: PastSession) -> str:
    # The mark carries the meaning without colour.
    mark = {"passed": "✓", "not passed": "✗", "unfinished": "…"}.get(s.result, "!")
    return f"{mark} {s.result}" if not s.problem else f"{mark} broken: {s.problem}"
