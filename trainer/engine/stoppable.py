"""An actor the trainee can stop mid-line: the partial line is kept, and marked as interrupted."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from trainer.content.persona import HiddenFact
from trainer.engine.actors import Event, LLMActor, Notice, Piece, Restart, ScriptedActor, Voice
from trainer.engine.director import Decision

INTERRUPTED = "interrupted: the trainee stopped the customer mid-line"
POLL = 0.05  # seconds between looks at the stop flag while the model is silent


@dataclass(frozen=True)
class Interrupted(Notice):
    """The line stopped here because the trainee asked; the session records it among the turn's notices."""


@dataclass(frozen=True)
class _Failed:
    error: BaseException


_DONE = object()


class StoppableActor:
    """Wraps a scripted or LLM actor; `stop()` ends the current line at once, even while the model is silent.

    The wrapped actor speaks in a thread of its own, so a stalled stream never
    holds the call: on stop the line ends with what arrived so far, and the
    actor is told to stop too, which closes a model's request (llama.cpp's
    server stops generating only when the connection closes).
    """

    def __init__(self, actor: ScriptedActor | LLMActor) -> None:
        self.actor = actor
        self.backend = actor.backend
        self.model = actor.model
        self._stop = threading.Event()

    @property
    def scripted(self) -> ScriptedActor:
        """The persona's own lines (Session.replay re-runs their choices)."""
        return self.actor if isinstance(self.actor, ScriptedActor) else self.actor.scripted

    def opening_line(self) -> str:
        return self.actor.opening_line()

    def stop(self) -> None:
        self._stop.set()
        self.actor.stop()

    def speak(self, decision: Decision, history: list[tuple[str, str]], revealed: list[HiddenFact]) -> Iterator[Event]:
        self._stop.clear()
        events: queue.Queue[object] = queue.Queue()
        snapshot = list(history)  # the abandoned thread must not see later turns

        def produce() -> None:
            try:
                for event in self.actor.speak(decision, snapshot, revealed):
                    events.put(event)
            except BaseException as exc:  # handed to the session's thread, which raises it there
                events.put(_Failed(exc))
            finally:
                events.put(_DONE)

        threading.Thread(target=produce, name="actor", daemon=True).start()
        said = ""
        while True:
            try:
                item = events.get(timeout=POLL)
            except queue.Empty:
                item = None
            if item is _DONE:
                if not self._stop.is_set():
                    return
                # Stopped: the actor closed its request and ended at once, which is still an interruption.
            elif isinstance(item, _Failed):
                raise item.error
            elif item is not None:
                event = item  # type: ignore[assignment]
                if isinstance(event, Piece):
                    said += event.text
                elif isinstance(event, Restart):  # what was said so far is withdrawn
                    said = ""
                yield event  # type: ignore[misc]
            if self._stop.is_set():
                if not said.strip():
                    yield Voice("nobody", "the trainee stopped the line before its first word")
                    yield Piece("…")  # a line is never empty, even when stopped before the first word
                yield Interrupted(INTERRUPTED)
                return
