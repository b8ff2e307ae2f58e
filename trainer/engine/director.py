"""The director: owns the customer's state, reacts to the trainee's moves, and decides what the customer does next.

Everything here is deterministic: the same persona and trainee replies give
the same decisions, whichever actor voices them. No text from a model or a
trainee is ever read as an instruction; only detector signals move the state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from trainer.content.persona import HiddenFact, Persona
from trainer.content.phrases import Group
from trainer.content.vocabulary import CustomerType, Fault, Intent, MoodBand
from trainer.scoring.detectors import TurnReading
from trainer.scoring.matcher import PhraseIndex, tokenize

# How much each move moves the mood (before the persona's reaction multipliers).
# A move repeated loses half its effect each time: the fifth "I understand" calms no one.
CALMING: dict[str, float] = {
    "empathy": 9, "paraphrase": 8, "apology": 8, "commitment": 11, "question": 3,
    "thanks": 2, "compensation": 6, "reason": 5, "follow_up": 3, "documentation": 2, "escalation": 3,
}
PROVOKING: dict[str, float] = {
    "negative_language": 10, "blame": 14, "raised_tone": 15, "deflection": 8,
}
IDLE = 4  # a turn with no calming move at all tries the customer's patience
HOLLOW = 3  # "sorry, sorry": stock phrases said again annoy


class Outcome(str, Enum):
    resolved = "resolved"
    left = "left"
    escalated = "escalated"
    ended_after_boundary = "ended_after_boundary"
    out_of_turns = "out_of_turns"


@dataclass(frozen=True)
class Decision:
    """What the customer does next, and why (for transcripts and tests)."""

    intent: Intent
    band: MoodBand
    mood: int
    reveal: HiddenFact | None = None
    outcome: Outcome | None = None
    moves: tuple[str, ...] = ()  # the moves that moved the mood this turn, e.g. ("empathy", "-blame")


@dataclass
class CustomerState:
    mood: float
    trust: float = 50.0
    needs_met: set[str] = field(default_factory=set)
    turns_used: int = 0
    revealed: int = 0
    asked_manager: bool = False
    insulted: bool = False
    boundary_set: bool = False
    insulted_after_boundary: bool = False
    threatened_at: int = -10
    used: dict[str, int] = field(default_factory=dict)
    outcome: Outcome | None = None
    last_intent: Intent | None = None

    @property
    def band(self) -> MoodBand:
        return MoodBand.of(self.mood)


class Director:
    """Tracks one customer through one call."""

    def __init__(self, persona: Persona) -> None:
        self.persona = persona
        self.state = CustomerState(mood=float(persona.temperament.mood))
        self._needs = PhraseIndex(persona.language.value)
        self._need_owner = {
            need.id: self._needs.add(Group(phrases=need.phrases)) if need.phrases else None
            for need in persona.resolution.needs
        }
        self._worse = self._needs.add(Group(phrases=persona.resolution.worse_phrases))

    @property
    def finished(self) -> bool:
        return self.state.outcome is not None

    def opening(self) -> Decision:
        """The first customer turn: the complaint, or straight to the manager for those who want one."""
        state = self.state
        intent = Intent.complain
        if self.persona.type is CustomerType.supervisor_demander and Intent.ask_for_manager in self.persona.lines:
            state.asked_manager = True
        if self.persona.type is CustomerType.abusive:
            # An abusive customer opens abusively: a boundary is earned from the first reply.
            state.insulted = True
            intent = Intent.insult
        state.last_intent = intent
        return Decision(intent, state.band, round(state.mood))

    def react(self, text: str, reading: TurnReading, hollow: dict[str, str] | None = None) -> Decision:
        """Update the state from one trainee turn and decide the customer's next move."""
        if self.finished:
            raise RuntimeError("the call has already ended")
        state, persona = self.state, self.persona
        hollow = hollow or {}
        present = {k.value for k, v in reading.signals.items() if v} | {k.value for k, v in reading.cues.items() if v}
        earned = present - set(hollow)
        state.turns_used += 1
        moves: list[str] = []
        before = state.mood

        # The detectors' words for this turn; tokenised here only for a reading made without them.
        tokens = reading.tokens or tokenize(text, persona.language.value)[0]
        matched = self._needs.find(tokens, text)
        ctype = persona.type

        # Calming moves, weighted by who this customer is.
        delta = 0.0
        for name, size in CALMING.items():
            if name not in earned:
                continue
            size *= self._weight_for_type(name)
            if name == "apology" and persona.scenario.fault is not Fault.company:
                size *= 0.3  # nothing to apologise for: polite, but it does not move them
            if name == "escalation" and not (state.asked_manager or ctype is CustomerType.supervisor_demander):
                size *= 0.3
            times = state.used.get(name, 0)
            state.used[name] = times + 1
            delta -= size / (2**times) * persona.temperament.reactions.good
            moves.append(name)
        # Provoking moves.
        for name, size in PROVOKING.items():
            if name in present:
                if name == "blame" and ctype in (CustomerType.customer_at_fault, CustomerType.know_it_all):
                    size *= 1.4  # they bristle most at being told it is their fault
                delta += size * persona.temperament.reactions.bad
                moves.append(f"-{name}")
        if matched.get(self._worse):
            delta += 10 * persona.temperament.reactions.bad
            moves.append("-worse_phrase")
        if hollow:
            delta += HOLLOW * persona.temperament.reactions.bad
            moves.append("-stock_phrase")
        if not any(not m.startswith("-") for m in moves):
            delta += IDLE * persona.temperament.reactions.bad
            moves.append("-idle")
        if "boundary" in present:
            if state.insulted:
                if state.insulted_after_boundary:
                    state.outcome = Outcome.ended_after_boundary
                state.boundary_set = True
                delta -= 8 * persona.temperament.reactions.good
                moves.append("boundary")
            else:
                delta += 6 * persona.temperament.reactions.bad  # a threat nobody had earned
                moves.append("-unearned_boundary")
        state.mood = min(100.0, max(0.0, state.mood + delta))
        state.trust = min(100.0, max(0.0, state.trust - delta / 2))

        for need in persona.resolution.needs:
            if need.id in state.needs_met:
                continue
            signals_ok = all(s.value in earned for s in need.signals)
            owner = self._need_owner[need.id]
            phrases_ok = owner is None or bool(matched.get(owner))
            if signals_ok and phrases_ok:
                state.needs_met.add(need.id)
                moves.append(f"need:{need.id}")

        return self._decide(earned, present, before, tuple(moves))

    def _weight_for_type(self, move: str) -> float:
        """Each type has its keys (guidance 000-004): what works with them counts double."""
        keys = {
            CustomerType.compensation_seeker: {"compensation": 2.0, "empathy": 0.5, "reason": 0.5},
            CustomerType.silent: {"question": 3.0},
            CustomerType.supervisor_demander: {"escalation": 4.0},
            CustomerType.customer_at_fault: {"reason": 1.6, "paraphrase": 1.4},
            CustomerType.know_it_all: {"reason": 1.8, "paraphrase": 1.4},
            CustomerType.aggressive: {"commitment": 1.5, "apology": 0.6},
            CustomerType.key_account: {"commitment": 1.5, "follow_up": 2.0},
            CustomerType.reserved_grumbler: {"question": 1.6, "paraphrase": 1.4},
            CustomerType.serial_complainer: {"paraphrase": 1.5, "thanks": 2.0},
            CustomerType.angry_caller: {"empathy": 1.3, "paraphrase": 1.3},
            CustomerType.refused_request: {"reason": 2.0, "empathy": 1.2},
            CustomerType.undecided: {"question": 1.6},
            CustomerType.prankster: {"question": 1.5},
        }
        return keys.get(self.persona.type, {}).get(move, 1.0)

    def _decide(self, earned: set[str], present: set[str], before: float, moves: tuple[str, ...]) -> Decision:
        state, persona, t = self.state, self.persona, self.persona.temperament
        lines = persona.lines
        asked = "question" in earned
        all_needs = len(state.needs_met) == len(persona.resolution.needs)

        def decision(intent: Intent, reveal: HiddenFact | None = None) -> Decision:
            state.last_intent = intent
            return Decision(intent, state.band, round(state.mood), reveal, state.outcome, moves)

        if state.outcome is Outcome.ended_after_boundary:
            return decision(Intent.leave)
        if "escalation" in earned and (state.asked_manager or persona.type is CustomerType.supervisor_demander):
            state.outcome = Outcome.escalated
            return decision(Intent.accept if Intent.accept in lines else Intent.thank)
        if state.mood >= t.leave_above:
            state.outcome = Outcome.left
            return decision(Intent.leave)
        if all_needs and state.mood < t.accept_below:
            state.outcome = Outcome.resolved
            return decision(Intent.accept)
        if state.turns_used >= t.patience:
            state.outcome = Outcome.out_of_turns
            return decision(Intent.leave)

        worse = state.mood > before
        if persona.type is CustomerType.abusive and state.mood >= 55 and Intent.insult in lines:
            if not state.boundary_set or state.mood >= 75:
                state.insulted_after_boundary = state.boundary_set
                state.insulted = True
                return decision(Intent.insult)
        if Intent.ask_for_manager in lines and not state.asked_manager and (
            persona.type is CustomerType.supervisor_demander or (state.mood >= 85 and worse)
        ):
            state.asked_manager = True
            return decision(Intent.ask_for_manager)
        if persona.type is CustomerType.supervisor_demander and state.asked_manager and worse \
                and Intent.ask_for_manager in lines:
            return decision(Intent.ask_for_manager)
        if asked and state.revealed < len(persona.scenario.hidden_facts) and not worse:
            fact = persona.scenario.hidden_facts[state.revealed]
            state.revealed += 1
            return decision(Intent.complain, fact)
        if worse and state.mood >= 75 and state.turns_used - state.threatened_at >= 2:
            state.threatened_at = state.turns_used
            return decision(Intent.threaten_to_leave)
        if persona.type is CustomerType.silent and not asked and Intent.go_silent in lines \
                and state.last_intent is not Intent.go_silent:
            return decision(Intent.go_silent)
        if not worse and state.mood < before:
            if all_needs:
                return decision(Intent.calm_down)
            return decision(Intent.demand if state.last_intent is Intent.calm_down else Intent.calm_down)
        if state.last_intent is Intent.complain:
            return decision(Intent.demand)
        return decision(Intent.complain)
