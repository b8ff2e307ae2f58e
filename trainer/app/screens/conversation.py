"""The call: customer and trainee as a chat, the customer's line streaming in, live feedback in practice mode."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from trainer.app.call_report import CallReport
from trainer.app.messages import BackendNotice, CallStarted, CustomerPiece, CustomerReplied, CustomerRestart
from trainer.app.plain import plain
from trainer.app.screens.base import TrainerScreen
from trainer.app.widgets.chat_message import ChatMessage
from trainer.app.widgets.hint_panel import HintPanel
from trainer.app.widgets.mood_meter import MoodMeter
from trainer.app.widgets.reply_input import ReplyInput
from trainer.content.persona import Persona
from trainer.engine.handover import handover_line
from trainer.engine.session import CustomerTurn, Session


class ConversationScreen(TrainerScreen[CallReport | None]):
    """The call; dismissed with its report when it ends, or None when the trainee leaves before it starts."""

    BINDINGS = [
        Binding("escape", "stop", "Stop"),
        Binding("ctrl+g", "hint", "Hint"),
        Binding("ctrl+s", "supervisor", "Supervisor"),
        # Ctrl+E also means "end of line" in the reply box; End does that too, so the call keeps the key.
        Binding("ctrl+e", "end_call", "End call", priority=True),
        Binding("f1", "help", "Help"),
    ]

    replying: reactive[bool] = reactive(False, bindings=True)

    def __init__(self, persona: Persona, mode: str) -> None:
        super().__init__()
        self.persona = persona
        self.mode = mode
        self.session: Session | None = None
        self._sent = ""
        self._hint_shown = False
        self._end_after_reply = False
        self._trainee: ChatMessage | None = None
        self._customer: ChatMessage | None = None

    @property
    def practice(self) -> bool:
        return self.mode == "practice"

    def compose(self) -> ComposeResult:
        with Horizontal(id="call-bar"):
            trainee = self.trainer.settings.trainee
            yield Static(plain(f"{self.persona.name} · {self.mode} · {trainee}"), id="call-title")
            yield MoodMeter(id="mood")
        yield VerticalScroll(id="chat")
        yield HintPanel(id="hint")
        yield ReplyInput(id="reply", placeholder="Your reply. Enter sends; Ctrl+J starts a new line.")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#mood", MoodMeter).display = self.practice
        self.query_one(HintPanel).hide()
        reply = self.query_one(ReplyInput)
        reply.cursor_blink = self.trainer.settings.animate
        reply.focus()
        self.query_one("#chat").mount(Static(plain(f"Calling {self.persona.name}…"), classes="system", id="connecting"))
        self.start_call()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":
            return self.replying
        if action == "hint":
            return self.practice
        return True

    # The call's workers: they only post messages; the screen changes what is shown.

    @work(thread=True, exclusive=True, exit_on_error=False, group="call", name="start")
    def start_call(self) -> None:
        from trainer.engine.actors import LLMActor, ScriptedActor
        from trainer.engine.session import draw_seed, new_session
        from trainer.engine.stoppable import StoppableActor

        app = self.trainer
        settings = app.settings
        seed = draw_seed(self.mode, None if self.mode == "exam" else settings.seed)
        scripted = ScriptedActor(self.persona, seed)
        actor: ScriptedActor | LLMActor = scripted
        if settings.backend == "openai" and settings.llm is not None:
            from trainer.llm import LLM

            actor = LLMActor(self.persona, LLM(settings.llm), scripted)
        library, rubric, scorer = app.loaded()
        session = new_session(
            self.persona, library.paths[self.persona.id], rubric, settings.rubric,
            StoppableActor(actor),  # type: ignore[arg-type]
            seed=seed, mode=self.mode, trainee=settings.trainee, transcripts=settings.transcripts,
            scorer=scorer, proctored=settings.classroom.header() if settings.classroom else None,
        )
        opening = session.start()
        self.post_message(CallStarted(session, opening))
        _ = session.detectors  # load the language's dictionary now, not on the trainee's first Enter

    @work(thread=True, exclusive=True, exit_on_error=False, group="call", name="reply")
    def take_turn(self, text: str, hint_used: bool) -> None:
        from trainer.engine.actors import Notice, Piece, Restart
        from trainer.engine.stoppable import Interrupted
        from trainer.scoring.coaching import turn_marks

        session = self.session
        assert session is not None
        turn: CustomerTurn | None = None
        interrupted = False
        for event in session.reply(text, hint_used=hint_used):
            if isinstance(event, Interrupted):
                interrupted = True
            elif isinstance(event, Notice):
                self.post_message(BackendNotice(event.text))
            elif isinstance(event, Piece):
                self.post_message(CustomerPiece(event.text))
            elif isinstance(event, Restart):
                self.post_message(CustomerRestart(event.reason))
            elif isinstance(event, CustomerTurn):
                turn = event
        assert turn is not None
        marks = turn_marks(session.score()) if self.practice else []
        self.post_message(CustomerReplied(turn, marks, interrupted))

    @on(CallStarted)
    def _started(self, event: CallStarted) -> None:
        self.session = event.session
        self.query_one("#connecting").remove()
        self._say(ChatMessage("customer", self.persona.name, event.opening.text))
        self.query_one("#mood", MoodMeter).mood = event.opening.decision.mood

    @on(CustomerPiece)
    def _piece(self, event: CustomerPiece) -> None:
        if self._customer is not None:
            self._customer.append(event.text)
            self.query_one("#chat").scroll_end(animate=False)

    @on(CustomerRestart)
    def _restart(self, event: CustomerRestart) -> None:
        if self._customer is not None:
            self._customer.restart()

    @on(BackendNotice)
    def _notice(self, event: BackendNotice) -> None:
        self.notify(event.text, title="Model", severity="warning", markup=False, timeout=8)

    @on(CustomerReplied)
    def _replied(self, event: CustomerReplied) -> None:
        self.replying = False
        if self._customer is not None:
            self._customer.finish(event.turn.text, event.interrupted)
        if self.practice and self._trainee is not None:
            self._trainee.show_marks(event.marks)
        self.query_one("#mood", MoodMeter).mood = event.turn.decision.mood
        self._trainee = self._customer = None
        self.query_one("#chat").scroll_end(animate=False)
        if self._end_after_reply:
            self.action_end_call()
        elif self.session is not None and self.session.finished:
            outcome = self.session.outcome.value.replace("_", " ") if self.session.outcome else "ended"
            self._system(f"The call has ended ({outcome}). Press Enter or Ctrl+E for the debrief.")
            box = self.query_one(ReplyInput)
            box.read_only = True
            box.placeholder = "The call has ended: Enter shows the debrief."

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if event.worker.name == "reply":
            # Nothing typed is lost: the reply goes back into the box, ahead of anything typed since.
            self.replying = False
            for message in (self._trainee, self._customer):
                if message is not None:
                    message.remove()
            self._trainee = self._customer = None
            self.query_one(ReplyInput).give_back(self._sent)
            self.notify(f"{error}", title="The reply did not go through", severity="error", markup=False)
        elif event.worker.name == "start":
            self.query_one("#connecting", Static).update(plain(f"The call could not start: {error}"))
            self.notify(f"{error}", title="The call could not start", severity="error", markup=False)

    # What the trainee does.

    @on(ReplyInput.Send)
    def _send_typed(self, event: ReplyInput.Send) -> None:
        if self.session is not None and self.session.finished:
            self.action_end_call()
            return
        if not event.text.strip():
            return
        if self._busy():
            return
        self._send(event.reply_input.take().strip())

    def action_supervisor(self) -> None:
        if self._busy() or self.session is None or self.session.finished:
            return
        self._send(handover_line(self.persona.language))

    def action_stop(self) -> None:
        if self.replying and self.session is not None:
            self.session.actor.stop()  # type: ignore[union-attr]

    def action_hint(self) -> None:
        from trainer.scoring.coaching import fallback_hint, next_hint

        if not self.practice or self.session is None or self.session.finished:
            return
        hint = next_hint(self.session.scorer, self.session.dialog()) or fallback_hint(self.persona.language)
        self.query_one(HintPanel).show(hint)
        self._hint_shown = True

    def action_end_call(self) -> None:
        if self.session is None:
            self.dismiss(None)
            return
        if self.replying:
            self._end_after_reply = True
            self.action_stop()
            return
        from trainer.app.call_report import report_from_session
        from trainer.engine.director import Outcome

        result = self.session.end(None if self.session.finished else Outcome.hung_up)
        self.dismiss(report_from_session(self.session, result, self.trainer.loaded()[0]))

    def action_help(self) -> None:
        self.trainer.show_help(self.mode)

    def _busy(self) -> bool:
        if self.session is None:
            self.notify("The customer is not on the line yet.", severity="warning")
            return True
        if self.replying:
            self.notify("The customer is still speaking: Esc stops them.", severity="warning")
            return True
        return False

    def _send(self, text: str) -> None:
        self._sent = text
        hint_used, self._hint_shown = self._hint_shown, False
        self.query_one(HintPanel).hide()
        self._trainee = ChatMessage("trainee", "You", text)
        self._customer = ChatMessage("customer", self.persona.name, streaming=True)
        self._say(self._trainee, self._customer)
        self.replying = True
        self.take_turn(text, hint_used)

    def _say(self, *messages: ChatMessage | Static) -> None:
        chat = self.query_one("#chat", VerticalScroll)
        chat.mount(*messages)
        chat.scroll_end(animate=False)

    def _system(self, text: str) -> None:
        self._say(Static(plain(text), classes="system"))
