"""One practice call: the director decides, an actor speaks, the scorer reads, the store records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from trainer.actors import Event, LLMActor, Notice, Piece, Restart, ScriptedActor
from trainer.detectors import Detectors
from trainer.dialog import Dialog
from trainer.director import Decision, Director, Outcome
from trainer.persona import HiddenFact, Persona
from trainer.rubric import Rubric
from trainer.scorer import Scorer, SessionScore, _mark_hollow
from trainer.store import TranscriptWriter, content_hash, now
from trainer.vocabulary import Signal

Actor = ScriptedActor | LLMActor


@dataclass(frozen=True)
class CustomerTurn:
    """What the customer said, once the actor finished, with the decision behind it."""

    text: str
    decision: Decision
    notices: tuple[str, ...] = ()


@dataclass
class Session:
    persona: Persona
    rubric: Rubric
    actor: Actor
    scorer: Scorer
    seed: int = 0
    mode: str = "practice"
    trainee: str = ""
    writer: TranscriptWriter | None = None
    history: list[tuple[str, str]] = field(default_factory=list)
    moods: list[int] = field(default_factory=list)
    intents: list[str] = field(default_factory=list)
    director: Director = field(init=False)

    def __post_init__(self) -> None:
        self.director = Director(self.persona)

    @property
    def detectors(self) -> Detectors:
        return self.scorer.detectors(self.persona.language)

    @property
    def outcome(self) -> Outcome | None:
        return self.director.state.outcome

    @property
    def finished(self) -> bool:
        return self.director.finished

    def start(self) -> CustomerTurn:
        decision = self.director.opening()
        text = self.actor.opening_line()
        return self._customer(text, decision, ())

    def reply(self, text: str, hint_used: bool = False) -> Iterator[Event | CustomerTurn]:
        """Take a trainee turn; yields the customer's line as it streams, then the finished CustomerTurn."""
        text = text.strip()
        if not text:
            raise ValueError("an empty reply")
        said = [t for r, t in reversed(self.history) if r == "customer"][:3]
        reading = self.detectors.read_trainee(text, said)
        hollow = self._hollow(text)
        self._record_trainee(text, reading, hint_used)
        decision = self.director.react(text, reading, hollow)
        shown: list[str] = []
        notices: list[str] = []
        for event in self.actor.speak(decision, self.history, self._revealed()):
            if isinstance(event, Piece):
                shown.append(event.text)
            elif isinstance(event, Restart):
                shown.clear()
            elif isinstance(event, Notice):
                notices.append(event.text)
            yield event
        yield self._customer("".join(shown).strip(), decision, tuple(notices))

    def end(self, outcome: Outcome | None = None) -> SessionScore:
        """Close the call (the trainee may end it early) and write the closing record."""
        if outcome is not None and self.director.state.outcome is None:
            self.director.state.outcome = outcome
        result = self.score()
        if self.writer is not None:
            self.writer.write({
                "type": "end", "time": now(), "outcome": (self.outcome or Outcome.out_of_turns).value,
                "score": result.score, "passed": result.passed,
            })
            self.writer.close()
        return result

    def score(self) -> SessionScore:
        return self.scorer.score(self.dialog())

    def dialog(self) -> Dialog:
        turns = []
        for (role, text), intent in zip(self.history, self.intents):
            turn: dict = {"role": role, "text": text}
            if role == "customer":
                turn["intent"] = intent
            turns.append(turn)
        return Dialog.model_validate({
            "language": self.persona.language.value,
            "company_at_fault": self.persona.company_at_fault,
            "fault": self.persona.scenario.fault.value,
            "turns": turns,
        })

    def _customer(self, text: str, decision: Decision, notices: tuple[str, ...]) -> CustomerTurn:
        self.history.append(("customer", text))
        self.intents.append(decision.intent.value)
        self.moods.append(decision.mood)
        if self.writer is not None:
            self.writer.write({
                "type": "turn", "role": "customer", "text": text, "time": now(), "intent": decision.intent.value,
                "mood": decision.mood, "reveal": decision.reveal.id if decision.reveal else None,
                "moves": list(decision.moves), "outcome": decision.outcome.value if decision.outcome else None,
                "notices": list(notices),
            })
        return CustomerTurn(text, decision, notices)

    def _record_trainee(self, text: str, reading, hint_used: bool) -> None:  # type: ignore[no-untyped-def]
        self.history.append(("trainee", text))
        self.intents.append("")
        if self.writer is not None:
            self.writer.write({
                "type": "turn", "role": "trainee", "text": text, "time": now(), "hint_used": hint_used,
                "signals": {s.value: bool(reading.signals.get(s)) for s in Signal},
            })

    def _hollow(self, text: str) -> dict[str, str]:
        """Stock phrases this reply repeats, judged exactly as the scorer will judge them."""
        session = self.scorer.score(Dialog.model_validate({
            "language": self.persona.language.value,
            "turns": [{"role": r, "text": t} for r, t in self.history] + [{"role": "trainee", "text": text}],
        }))
        return session.turns[-1].hollow

    def _revealed(self) -> list[HiddenFact]:
        return self.persona.scenario.hidden_facts[: self.director.state.revealed]


def new_session(
    persona: Persona, persona_path: Path, rubric: Rubric, rubric_path: Path, actor: Actor, *,
    seed: int = 0, mode: str = "practice", trainee: str = "", transcripts: Path | None = None,
    scorer: Scorer | None = None,
) -> Session:
    writer = None
    if transcripts is not None:
        writer = TranscriptWriter(transcripts, {
            "trainee": trainee, "persona_id": persona.id, "persona_hash": content_hash(persona_path),
            "language": persona.language.value, "fault": persona.scenario.fault.value,
            "rubric_id": rubric.id, "rubric_version": rubric.version, "rubric_hash": content_hash(rubric_path),
            "backend": actor.backend, "model": actor.model, "seed": seed, "mode": mode,
        })
    return Session(persona, rubric, actor, scorer or Scorer(rubric), seed, mode, trainee, writer)


__all__ = ["CustomerTurn", "Session", "new_session", "_mark_hollow"]
