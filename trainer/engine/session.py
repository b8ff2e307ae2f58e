"""One practice call: the director decides, an actor speaks, the scorer reads, the store records."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer.content.persona import HiddenFact, Persona
from trainer.content.rubric import Rubric
from trainer.content.vocabulary import Signal
from trainer.engine.actors import OPENING, Event, LLMActor, Notice, Piece, Restart, ScriptedActor, Voice
from trainer.engine.director import Decision, Director, Outcome
from trainer.errors import UserError
from trainer.records.store import TranscriptWriter, content_hash, now
from trainer.scoring.detectors import Detectors
from trainer.scoring.dialog import Dialog
from trainer.scoring.scorer import Scorer, SessionScore

if TYPE_CHECKING:
    from trainer.records.signing import Signer

Actor = ScriptedActor | LLMActor


class ReplayError(UserError):
    """A saved session cannot be replayed into the same state (the persona or phrase lists changed since)."""


def fresh_seed() -> int:
    return secrets.randbelow(2**31)


def draw_seed(mode: str, requested: int | None = None) -> int:
    """The seed a new call plays with: an exam always draws a fresh one, so it can never be rehearsed in practice.

    Practice keeps a seed you set (the same seed, persona and replies give the same
    call) and draws a fresh one otherwise, so practising twice is not the same call twice.
    """
    if mode == "exam":
        if requested is not None:
            raise UserError("an exam always draws a fresh seed, so it cannot be rehearsed: --seed is for practice")
        return fresh_seed()
    return fresh_seed() if requested is None else requested


@dataclass(frozen=True)
class CustomerTurn:
    """What the customer said, once the actor finished, with the decision behind it."""

    text: str
    decision: Decision
    notices: tuple[str, ...] = ()
    voice: Voice | None = None  # who said it: the model, or the persona's scripted line and why


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
    signer: Signer | None = None  # exam transcripts are signed when the call ends
    history: list[tuple[str, str]] = field(default_factory=list)
    moods: list[int] = field(default_factory=list)
    intents: list[str] = field(default_factory=list)
    director: Director = field(init=False)

    def __post_init__(self) -> None:
        self.director = Director(self.persona)
        scripted = self.actor if isinstance(self.actor, ScriptedActor) else self.actor.scripted
        scripted.address(self.trainee)  # lines may call the trainee by name: {{ trainee }}

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
        return self._customer(text, decision, (), Voice("scripted", OPENING))

    def reply(self, text: str, hint_used: bool = False) -> Iterator[Event | CustomerTurn]:
        """Take a trainee turn; yields the customer's line as it streams, then the finished CustomerTurn."""
        text = text.strip()
        if not text:
            raise ValueError("an empty reply")
        decision = self._take(text, hint_used)
        yield from self.speak(decision)

    def speak(self, decision: Decision) -> Iterator[Event | CustomerTurn]:
        """The customer's line for a decision: streamed events, then the finished CustomerTurn (recorded)."""
        shown: list[str] = []
        notices: list[str] = []
        voice: Voice | None = None
        for event in self.actor.speak(decision, self.history, self._revealed()):
            if isinstance(event, Voice):
                voice = event
            elif isinstance(event, Piece):
                shown.append(event.text)
            elif isinstance(event, Restart):
                shown.clear()
            elif isinstance(event, Notice):
                notices.append(event.text)
            yield event
        yield self._customer("".join(shown).strip(), decision, tuple(notices), voice)

    def end(self, outcome: Outcome | None = None) -> SessionScore:
        """Close the call (the trainee may end it early), write the closing record, and sign it in an exam."""
        if outcome is not None and self.director.state.outcome is None:
            self.director.state.outcome = outcome
        result = self.score()
        if self.writer is not None:
            self.writer.write({
                "type": "end", "time": now(), "outcome": (self.outcome or Outcome.out_of_turns).value,
                "score": result.score, "passed": result.passed, "mood": self.moods[-1] if self.moods else None,
                "criteria": {r.criterion.id: {"met": r.met, "missed": r.missed} for r in result.criteria if r.graded},
            })
            if self.signer is not None:
                self.writer.write(self.signer.signature_record(
                    self.writer.session_id, self.writer.count, self.writer.last_hash or "",
                ))
            self.writer.close()
        return result

    def replay(self, records: list[dict[str, Any]]) -> Decision | None:
        """Rebuild the call from a transcript's turn records, writing nothing.

        The director is deterministic, so feeding it the recorded trainee turns
        gives the recorded moods and intents again; the recorded customer lines
        are kept as they were shown. Returns the decision still owed a customer
        line when the file stops right after a trainee turn.
        """
        pending: Decision | None = None
        for record in records:
            if record.get("type") != "turn":
                continue
            line = record.get("n", "?")
            if record.get("role") == "trainee":
                pending = self._take(str(record.get("text", "")), bool(record.get("hint_used")), write=False)
                self._agrees(line, "mood", pending.mood, record.get("mood"))
                continue
            decision = pending if pending is not None else self.director.opening()
            if pending is None:
                if self.history:
                    raise ReplayError(f"record {line}: two customer turns in a row")
                self.actor.opening_line()  # the actor's choices depend on what it has said: say it again
            else:
                scripted = self.actor if isinstance(self.actor, ScriptedActor) else self.actor.scripted
                scripted.line(decision)
            self._agrees(line, "intent", decision.intent.value, record.get("intent"))
            self._agrees(line, "mood", decision.mood, record.get("mood"))
            writer, self.writer = self.writer, None
            voice = record.get("voice")
            said = Voice(str(voice.get("by", "")), str(voice.get("why", ""))) if isinstance(voice, dict) else None
            self._customer(str(record.get("text", "")), decision, tuple(record.get("notices") or ()), said)
            self.writer = writer
            pending = None
        return pending

    def _agrees(self, line: object, what: str, replayed: object, recorded: object) -> None:
        if recorded is None:
            raise ReplayError(f"record {line}: no customer {what} recorded (the file was changed by hand)")
        if replayed != recorded:
            raise ReplayError(
                f"record {line}: replaying gives the customer {what} {replayed!r}, the transcript says {recorded!r} "
                "(the persona or the phrase lists changed since the session started)"
            )

    def score(self) -> SessionScore:
        return self.scorer.score(self.dialog())

    def dialog(self, pending: str | None = None) -> Dialog:
        """The call so far as a dialog to score; `pending` adds a trainee turn not yet taken."""
        turns = []
        for (role, text), intent in zip(self.history, self.intents):
            turn: dict = {"role": role, "text": text}
            if role == "customer":
                turn["intent"] = intent
            turns.append(turn)
        if pending is not None:
            turns.append({"role": "trainee", "text": pending})
        return Dialog.model_validate({
            "language": self.persona.language.value,
            "company_at_fault": self.persona.company_at_fault,
            "fault": self.persona.scenario.fault.value,
            "turns": turns,
        })

    def _customer(self, text: str, decision: Decision, notices: tuple[str, ...], voice: Voice | None) -> CustomerTurn:
        self.history.append(("customer", text))
        self.intents.append(decision.intent.value)
        self.moods.append(decision.mood)
        if self.writer is not None:
            self.writer.write({
                "type": "turn", "role": "customer", "text": text, "time": now(), "intent": decision.intent.value,
                "mood": decision.mood, "reveal": decision.reveal.id if decision.reveal else None,
                "moves": list(decision.moves), "outcome": decision.outcome.value if decision.outcome else None,
                "notices": list(notices), "voice": {"by": voice.by, "why": voice.why} if voice else None,
            })
        return CustomerTurn(text, decision, notices, voice)

    def _take(self, text: str, hint_used: bool, write: bool = True) -> Decision:
        """Read a trainee turn, let the director react, and record the turn with its verdicts and the mood after it."""
        # Scored exactly as the scorer will score the whole call: the same stock-phrase repeats, the live verdicts.
        # The scorer reads only the new turn; the earlier ones were read when they were said.
        live = self.scorer.score(self.dialog(pending=text)).turns[-1]
        reading = live.reading
        self.history.append(("trainee", text))
        self.intents.append("")
        decision = self.director.react(text, reading, live.hollow)
        if write and self.writer is not None:
            self.writer.write({
                "type": "turn", "role": "trainee", "text": text, "time": now(), "hint_used": hint_used,
                "signals": {s.value: bool(reading.signals.get(s)) for s in Signal},
                "verdicts": {v.criterion: v.status.value for v in live.verdicts if v.status.value != "not_applicable"},
                "mood": decision.mood,
            })
        return decision

    def _revealed(self) -> list[HiddenFact]:
        """The hidden facts told so far, in the order the customer told them."""
        facts = {fact.id: fact for fact in self.persona.scenario.hidden_facts}
        return [facts[i] for i in self.director.state.revealed]


def new_session(
    persona: Persona, persona_path: Path, rubric: Rubric, rubric_path: Path, actor: Actor, *,
    seed: int = 0, mode: str = "practice", trainee: str = "", transcripts: Path | None = None,
    scorer: Scorer | None = None, signer: Signer | None = None, proctored: dict[str, str] | None = None,
) -> Session:
    """A new call; with `transcripts`, recorded there. An exam is signed with `signer`, by default this trainer's key.

    `proctored` is who the classroom server signed in (`user`, `role`), recorded in the header (and so sealed in
    an exam); the app passes it only when the server told it, never from anything typed.

    Raises UserError (before anything is written) when an exam has no key to be signed with.
    """
    writer = None
    if transcripts is not None:
        if mode == "exam" and signer is None:
            from trainer.config.settings import home
            from trainer.records.signing import load_signer

            signer = load_signer(home())
        # An exam is sealed from its header on: bound to this trainer's key before the first word is said.
        writer = TranscriptWriter(transcripts, {
            "trainee": trainee, "persona_id": persona.id, "persona_name": persona.name,
            "persona_type": persona.type.value, "persona_hash": content_hash(persona_path),
            "language": persona.language.value, "fault": persona.scenario.fault.value,
            "rubric_id": rubric.id, "rubric_version": rubric.version, "rubric_hash": content_hash(rubric_path),
            "backend": actor.backend, "model": actor.model, "seed": seed, "mode": mode,
            **({"proctored": proctored} if proctored else {}),
        }, sealer=signer if mode == "exam" else None)
    return Session(persona, rubric, actor, scorer or Scorer(rubric), seed, mode, trainee, writer, signer)


__all__ = ["CustomerTurn", "Session", "draw_seed", "new_session"]
