"""The director: owns the customer's state, reacts to the trainee's moves, and decides what the customer does next.

Everything here is deterministic: the same persona and trainee replies give
the same decisions, whichever actor voices them. No text from a model or a
trainee is ever read as an instruction; only detector signals move the state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import Field

from trainer.content.formats import Strict
from trainer.content.persona import HiddenFact, Need, NeedCheck, Persona
from trainer.content.phrases import Group
from trainer.content.vocabulary import CustomerCue, CustomerType, Fault, Intent, MoodBand, Signal
from trainer.scoring.detectors import Detectors, TurnReading, detectors_for, negated
from trainer.scoring.matcher import Match, PhraseIndex, Token, tokenize


class TypeRules(Strict):
    """How one customer type bends the moves (trainer/data/reactions.yaml, `types`)."""

    calming: dict[str, float] = Field(default_factory=dict)
    provoking: dict[str, float] = Field(default_factory=dict)
    venting_turns: int = Field(0, ge=0, description="Turns in which a turn with no move costs nothing.")
    open_questions_only: bool = Field(False, description="Only questions that are not yes/no count as a question.")
    apology_without_fault: float | None = Field(
        None, description="What an apology counts when the company is not at fault, for this type."
    )


class Reactions(Strict):
    """How much each move moves the mood: trainer/data/reactions.yaml."""

    calming: dict[str, float]
    provoking: dict[str, float]
    need_met: float
    worse_phrase: float
    insult: float
    idle: float
    hollow: float
    apology_without_fault: float
    escalation_unasked: float
    boundary_earned: float
    boundary_unearned: float
    one_turn_margin: int = Field(ge=1)
    warn_within: float = Field(ge=0)
    types: dict[CustomerType, TypeRules] = Field(default_factory=dict)


@lru_cache(maxsize=1)
def reactions() -> Reactions:
    text = resources.files("trainer").joinpath("data/reactions.yaml").read_text(encoding="utf-8")
    return Reactions.model_validate(yaml.safe_load(text))


@lru_cache(maxsize=1)
def _need_words() -> dict[str, dict[str, list[str]]]:
    text = resources.files("trainer").joinpath("data/need_checks.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


_FIGURE = re.compile(r"\d")
_CLOCK_OR_DATE = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s?(?:am|pm)\b|\b\d{1,2}[./]\d{1,2}\b", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"|„[^“”"]*[“”"]|«[^»]*»|“[^”]*”')
STATEMENT_WORDS = 8  # an explanation is a sentence of at least this many words that is not a question


class Outcome(str, Enum):
    resolved = "resolved"
    left = "left"
    escalated = "escalated"
    ended_after_boundary = "ended_after_boundary"
    out_of_turns = "out_of_turns"
    hung_up = "hung_up"  # the trainee ended the call (Ctrl+E, /end); nothing the customer decided


@dataclass(frozen=True)
class Decision:
    """What the customer does next, and why (for transcripts and tests)."""

    intent: Intent
    band: MoodBand
    mood: int
    reveal: HiddenFact | None = None
    outcome: Outcome | None = None
    moves: tuple[str, ...] = ()  # the moves that moved the mood this turn, e.g. ("empathy", "-blame")
    needs_met: frozenset[str] = frozenset()  # the call so far, for lines that presuppose a move (lines_when)
    revealed: tuple[str, ...] = ()
    boundary_set: bool = False
    present: frozenset[str] = frozenset()  # the signals and cues of the trainee's last turn


@dataclass
class CustomerState:
    mood: float
    trust: float = 50.0
    needs_met: set[str] = field(default_factory=set)
    turns_used: int = 0
    revealed: list[str] = field(default_factory=list)  # hidden fact ids, in the order told
    asked_manager: bool = False
    insulted: bool = False
    boundary_set: bool = False
    insulted_after_boundary: bool = False
    threatened_at: int = -10
    used: dict[str, int] = field(default_factory=dict)
    outcome: Outcome | None = None
    last_intent: Intent | None = None
    last_worse: bool = False  # the previous trainee turn raised the mood

    @property
    def band(self) -> MoodBand:
        return MoodBand.of(self.mood)


class Director:
    """Tracks one customer through one call."""

    def __init__(self, persona: Persona) -> None:
        self.persona = persona
        self.state = CustomerState(mood=float(persona.temperament.mood))
        self.rules = reactions()
        self.type_rules = self.rules.types.get(persona.type, TypeRules())
        language = persona.language.value
        self._detectors: Detectors = detectors_for(persona.language)
        self._needs = PhraseIndex(language)
        self._need_owner = {
            need.id: self._needs.add(Group(phrases=need.phrases)) if need.phrases else None
            for need in persona.resolution.needs
        }
        resolution = persona.resolution
        self._worse = self._needs.add(Group(phrases=resolution.worse_phrases))
        self._worse_exceptions = (
            self._needs.add(Group(phrases=resolution.worse_exceptions)) if resolution.worse_exceptions else None
        )
        self._topics = {
            fact.id: self._needs.add(Group(phrases=fact.topics)) for fact in persona.scenario.hidden_facts if fact.topics
        }
        words = _need_words().get(language) or _need_words()["en"]
        self._open = self._needs.add(Group(phrases=words["open_question"]))
        self._time = self._needs.add(Group(phrases=words["time"]))

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
        state, persona, rules = self.state, self.persona, self.rules
        good, bad = persona.temperament.reactions.good, persona.temperament.reactions.bad
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
        if self.type_rules.open_questions_only and "question" in earned and not matched.get(self._open):
            earned.discard("question")  # a silent customer answers a yes/no question with yes or no
            moves.append("closed_question")

        # Calming moves, weighted by who this customer is.
        delta = 0.0
        for name, size in rules.calming.items():
            if name not in earned:
                continue
            size *= self.type_rules.calming.get(name, 1.0)
            if name == "apology" and persona.scenario.fault is not Fault.company:
                override = self.type_rules.apology_without_fault
                size *= rules.apology_without_fault if override is None else override
            if name == "escalation" and not (state.asked_manager or ctype is CustomerType.supervisor_demander):
                size *= rules.escalation_unasked
            times = state.used.get(name, 0)
            state.used[name] = times + 1
            delta -= size / (2**times) * good
            moves.append(name)
        # Provoking moves.
        for name, size in rules.provoking.items():
            if name in present:
                delta += size * self.type_rules.provoking.get(name, 1.0) * bad
                moves.append(f"-{name}")
        if self._plain(matched.get(self._worse, []), matched, tokens, text):
            delta += rules.worse_phrase * bad
            moves.append("-worse_phrase")
        if self._detectors.read_customer(text).customer.get(CustomerCue.abuse):
            delta += rules.insult * bad  # the trainee's own insult: the customer's abuse cue, on the trainee's words
            moves.append("-insult")
        if hollow:
            delta += rules.hollow * bad
            moves.append("-stock_phrase")
        for need in persona.resolution.needs:
            if need.id not in state.needs_met and self.meets(need, text, tokens, earned, present, matched):
                state.needs_met.add(need.id)
                delta -= rules.need_met * good  # an explanation they needed calms, even with no stock signal in it
                moves.append(f"need:{need.id}")
        if not any(not m.startswith("-") for m in moves):
            if state.turns_used <= self.type_rules.venting_turns and not moves:
                moves.append("nod")  # 001: while an angry caller vents, a short nod is what they need
            else:
                delta += rules.idle * bad
                moves.append("-idle")
        if "boundary" in present:
            if state.insulted:
                if state.insulted_after_boundary:
                    state.outcome = Outcome.ended_after_boundary
                state.boundary_set = True
                delta -= rules.boundary_earned * good
                moves.append("boundary")
            else:
                delta += rules.boundary_unearned * bad  # a threat nobody had earned
                moves.append("-unearned_boundary")
        mood = min(100.0, max(0.0, state.mood + delta))
        ceiling = persona.temperament.leave_above - rules.one_turn_margin
        if delta > 0 and mood > ceiling >= state.mood and not state.last_worse and not persona.temperament.short_fuse:
            mood = float(ceiling)  # one blunt reply costs trust and brings a warning, not the end of the call
            moves.append("tolerated")
        state.mood = mood
        state.trust = min(100.0, max(0.0, state.trust - delta / 2))

        decision = self._decide(earned, present, before, tuple(moves), matched)
        state.last_worse = state.mood > before
        return decision

    def needs_met_by(self, text: str, reading: TurnReading) -> set[str]:
        """The ids of the needs this one turn would meet on its own (state is not changed)."""
        tokens = reading.tokens or tokenize(text, self.persona.language.value)[0]
        matched = self._needs.find(tokens, text)
        present = {k.value for k, v in reading.signals.items() if v} | {k.value for k, v in reading.cues.items() if v}
        return {n.id for n in self.persona.resolution.needs if self.meets(n, text, tokens, present, present, matched)}

    def provoked_by(self, text: str, reading: TurnReading) -> bool:
        """Whether one of the persona's worse phrases is said plainly in this turn (state is not changed)."""
        tokens = reading.tokens or tokenize(text, self.persona.language.value)[0]
        matched = self._needs.find(tokens, text)
        return self._plain(matched.get(self._worse, []), matched, tokens, text)

    def meets(self, need: Need, text: str, tokens: list[Token], earned: set[str], present: set[str],
              matched: dict[int, list[Match]]) -> bool:
        """Whether one trainee turn meets one need: its signals, phrases and checks, and none of its `without`."""
        if not all(s.value in earned for s in need.signals):
            return False
        if any(s.value in present for s in need.without):
            return False
        if self._plain(matched.get(self._worse, []), matched, tokens, text):
            return False  # a turn that provokes this customer meets none of their needs
        owner = self._need_owner[need.id]
        if owner is not None and not matched.get(owner):
            return False
        return all(self._passes(check, text, tokens, present, matched) for check in need.requires)

    def _passes(self, check: NeedCheck, text: str, tokens: list[Token], present: set[str],
                matched: dict[int, list[Match]]) -> bool:
        if check is NeedCheck.figure:
            return bool(_FIGURE.search(text))
        if check is NeedCheck.time:
            return bool(matched.get(self._time)) or bool(_CLOCK_OR_DATE.search(text))
        if check is NeedCheck.open_question:
            return "question" in present and bool(matched.get(self._open))
        # statement: an explanation, not only a question
        counts: dict[int, int] = {}
        for token in tokens:
            counts[token.sentence] = counts.get(token.sentence, 0) + 1
        for sentence, count in counts.items():
            last = max(t.end for t in tokens if t.sentence == sentence)
            if count >= STATEMENT_WORDS and not text[last:last + 3].lstrip().startswith("?"):
                return True
        return False

    def _plain(self, found: list[Match], matched: dict[int, list[Match]], tokens: list[Token], text: str) -> bool:
        """Whether any match is said plainly: not cancelled by an exception, not negated, not in quotes."""
        blocked = matched.get(self._worse_exceptions, []) if self._worse_exceptions is not None else []
        quoted = [m.span() for m in _QUOTED.finditer(text)]
        for match in found:
            if any(b.start < match.end and match.start < b.end for b in blocked):
                continue
            if any(a <= match.start and match.end <= b for a, b in quoted):
                continue
            if negated(tokens, text, match, self._detectors.negators):
                continue
            return True
        return False

    def reveals(self, fact: HiddenFact, matched: dict[int, list[Match]]) -> bool:
        """Whether a question in this turn reveals the fact: its topic asked about, its need met."""
        if fact.id in self.state.revealed:
            return False
        if fact.after_need is not None and fact.after_need not in self.state.needs_met:
            return False
        owner = self._topics.get(fact.id)
        return owner is None or bool(matched.get(owner))

    def _decide(self, earned: set[str], present: set[str], before: float, moves: tuple[str, ...],
                matched: dict[int, list[Match]]) -> Decision:
        state, persona, t = self.state, self.persona, self.persona.temperament
        lines = persona.lines
        asked = "question" in earned
        all_needs = len(state.needs_met) == len(persona.resolution.needs)

        def decision(intent: Intent, reveal: HiddenFact | None = None) -> Decision:
            state.last_intent = intent
            return Decision(intent, state.band, round(state.mood), reveal, state.outcome, moves,
                            frozenset(state.needs_met), tuple(state.revealed), state.boundary_set, frozenset(present))

        if state.outcome is Outcome.ended_after_boundary:
            return decision(Intent.leave)
        handed_over = all(n.id in state.needs_met for n in persona.resolution.needs if Signal.escalation in n.signals)
        if "escalation" in earned and handed_over and (
            state.asked_manager or persona.type is CustomerType.supervisor_demander
        ):
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
        # A warning before they go: one turn before their patience runs out (before anything else), or near the
        # mood they leave at (after an abusive customer's insult, which comes first).
        can_warn = state.turns_used - state.threatened_at >= 2 and Intent.threaten_to_leave in lines
        if can_warn and state.turns_used == t.patience - 1:
            state.threatened_at = state.turns_used
            return decision(Intent.threaten_to_leave)
        if persona.type is CustomerType.abusive and state.mood >= 55 and Intent.insult in lines:
            if not state.boundary_set or worse:  # a boundary stops the insults until a further bad move
                state.insulted_after_boundary = state.boundary_set
                state.insulted = True
                return decision(Intent.insult)
        if can_warn and worse and state.mood >= t.leave_above - self.rules.warn_within:
            state.threatened_at = state.turns_used
            return decision(Intent.threaten_to_leave)
        if Intent.ask_for_manager in lines and not state.asked_manager and (
            persona.type is CustomerType.supervisor_demander or (state.mood >= 85 and worse)
        ):
            state.asked_manager = True
            return decision(Intent.ask_for_manager)
        if persona.type is CustomerType.supervisor_demander and state.asked_manager and worse \
                and Intent.ask_for_manager in lines:
            return decision(Intent.ask_for_manager)
        if asked and not worse:
            fact = next((f for f in persona.scenario.hidden_facts if self.reveals(f, matched)), None)
            if fact is not None:
                state.revealed.append(fact.id)
                return decision(Intent.complain, fact)
        if persona.type is CustomerType.silent and not asked and Intent.go_silent in lines \
                and state.last_intent is not Intent.go_silent:
            return decision(Intent.go_silent)
        if not worse and state.mood < before:
            if all_needs:
                return decision(Intent.calm_down)
            if any(m.startswith("need:") for m in moves) and state.band is MoodBand.calm and Intent.thank in lines:
                return decision(Intent.thank)  # thanks for the move that met a need, said when it happens
            return decision(Intent.demand if state.last_intent is Intent.calm_down else Intent.calm_down)
        if state.last_intent is Intent.complain:
            return decision(Intent.demand)
        return decision(Intent.complain)
