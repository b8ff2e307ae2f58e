"""Grades a dialog against a rubric: detector readings per turn, a verdict per criterion and turn, a session score."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from trainer.content.rubric import Applies, Criterion, Rubric, Scope
from trainer.content.vocabulary import CustomerCue, Language, Signal
from trainer.scoring.detectors import Detectors, TurnReading
from trainer.scoring.dialog import Dialog, Role

# Signals a trainee can earn by a stock phrase; repeating one earns nothing.
STOCK = ("empathy", "apology", "thanks")
REPEAT_LOOKBACK = 2
PARAPHRASE_LOOKBACK = 3  # customer turns back that a paraphrase may restate  # trainee turns back in which the same stock phrase counts as a repeat


class Status(str, Enum):
    met = "met"
    missed = "missed"
    not_applicable = "not_applicable"


@dataclass(frozen=True)
class Verdict:
    criterion: str
    status: Status
    evidence: str = ""
    tip: str = ""


@dataclass
class ScoredTurn:
    index: int
    role: Role
    text: str
    reading: TurnReading
    hollow: dict[str, str] = field(default_factory=dict)  # signal -> the repeated phrase
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def present(self) -> frozenset[str]:
        """Names of the signals and cues found in this turn."""
        if self._present is None:
            self._present = frozenset(
                [k.value for k, v in self.reading.signals.items() if v]
                + [k.value for k, v in self.reading.cues.items() if v]
            )
        return self._present

    _present: frozenset[str] | None = None

    def earned(self, name: str) -> bool:
        """The signal or cue is present and not a repeated stock phrase."""
        return name in self.present and name not in self.hollow


@dataclass
class CriterionResult:
    criterion: Criterion
    met: int = 0
    missed: int = 0

    @property
    def graded(self) -> bool:
        return self.met + self.missed > 0

    @property
    def rate(self) -> float:
        return self.met / (self.met + self.missed) if self.graded else 0.0


@dataclass
class SessionScore:
    rubric: Rubric
    language: Language
    turns: list[ScoredTurn]
    criteria: list[CriterionResult]
    score: float
    passed: bool


class Scorer:
    """Scores dialogs with one rubric; detectors are looked up per language."""

    def __init__(self, rubric: Rubric, detectors: dict[Language, Detectors] | None = None) -> None:
        self.rubric = rubric
        self._detectors = detectors or {}
        # The turns of the dialog scored last, per language: a live call is scored again after every turn
        # (the session, the marks, a hint), and only its new turns need reading.
        self._last: dict[Language, list[tuple[Role, str, TurnReading]]] = {}
        self._plans: dict[tuple[int, Language], _Plan] = {}

    def detectors(self, language: Language) -> Detectors:
        if language not in self._detectors:
            from trainer.scoring.detectors import detectors_for

            self._detectors[language] = detectors_for(language)
        return self._detectors[language]

    def score(self, dialog: Dialog) -> SessionScore:
        detectors = self.detectors(dialog.language)
        turns: list[ScoredTurn] = []
        customer_said: list[str] = []  # most recent first; a paraphrase may restate any of the last few
        before = self._last.get(dialog.language, [])
        same = True  # every turn so far is the one scored last time at the same place
        for index, turn in enumerate(dialog.turns):
            if turn.role is Role.customer:
                customer_said.insert(0, turn.text)
                del customer_said[PARAPHRASE_LOOKBACK:]
            # A turn after the same turns reads the same: the same words after the same customer lines.
            same = same and index < len(before) and before[index][0] is turn.role and before[index][1] == turn.text
            if same:
                reading = before[index][2]
            elif turn.role is Role.customer:
                reading = detectors.read_customer(turn.text)
            else:
                reading = detectors.read_trainee(turn.text, customer_said)
            turns.append(ScoredTurn(index, turn.role, turn.text, reading))
        self._last[dialog.language] = [(t.role, t.text, t.reading) for t in turns]
        trainee = [t for t in turns if t.role is Role.trainee]
        _mark_hollow(trainee)
        results = [self._grade(criterion, dialog, turns, trainee) for criterion in self.rubric.criteria]
        graded = [r for r in results if r.graded]
        total = sum(r.criterion.weight for r in graded)
        score = round(100 * sum(r.criterion.weight * r.rate for r in graded) / total, 1) if total else 0.0
        return SessionScore(
            self.rubric, dialog.language, turns, results, score, bool(graded) and score >= self.rubric.pass_threshold
        )

    def _grade(
        self, criterion: Criterion, dialog: Dialog, turns: list[ScoredTurn], trainee: list[ScoredTurn]
    ) -> CriterionResult:
        result = CriterionResult(criterion)
        window = _window(criterion.applies, dialog, turns, trainee)
        plan = self._plan(criterion, dialog.language)
        verdicts: dict[int, Verdict] = {}
        if criterion.scope is Scope.each_turn:
            for turn in window:
                verdicts[turn.index] = plan.judge(turn)
        elif window:
            limit = window[: criterion.within] if criterion.within else window
            for turn in limit:
                verdict = plan.judge(turn)
                if verdict.status is Status.met:
                    verdicts[turn.index] = verdict
                    break
            else:
                last = plan.judge(limit[-1])
                reason = last.evidence if "stock phrase" in last.evidence else plan.missed_once
                verdicts[limit[-1].index] = Verdict(criterion.id, Status.missed, reason, plan.tip)
        not_applicable = plan.not_applicable
        met = missed = 0
        for turn in trainee:
            verdict = verdicts.get(turn.index, not_applicable)
            turn.verdicts.append(verdict)
            if verdict.status is Status.met:
                met += 1
            elif verdict.status is Status.missed:
                missed += 1
        result.met, result.missed = met, missed
        return result

    def _plan(self, criterion: Criterion, language: Language) -> _Plan:
        """What judging a criterion in a language needs besides the turn: worked out once per scorer."""
        key = (id(criterion), language)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = _Plan(criterion, language)
        return plan


class _Plan:
    """One criterion's judgement of a turn, with the verdicts that quote nothing made once and shared (frozen)."""

    def __init__(self, criterion: Criterion, language: Language) -> None:
        self.id = criterion.id
        self.tip = criterion.tip(language)
        self.violated_by = tuple(criterion.violated_by)
        self.satisfied_by = tuple(criterion.satisfied_by)
        self.violated = frozenset(self.violated_by)
        self.satisfied = frozenset(self.satisfied_by)
        self.clean = Verdict(self.id, Status.met, f"no {' or '.join(self.violated_by)}")
        self.lacking = Verdict(self.id, Status.missed, f"no {' or '.join(self.satisfied_by)}", self.tip)
        self.not_applicable = Verdict(self.id, Status.not_applicable)
        where = _window_words(criterion.applies, criterion.within)
        self.missed_once = f"no {' or '.join(self.satisfied_by)} {where}"

    def judge(self, turn: ScoredTurn) -> Verdict:
        present = turn.present
        if not present.isdisjoint(self.violated):
            for name in self.violated_by:
                if name in present:
                    return Verdict(self.id, Status.missed, _quote(turn, name), self.tip)
        if not self.satisfied_by:
            return self.clean
        hollow = turn.hollow
        if not present.isdisjoint(self.satisfied):
            for name in self.satisfied_by:
                if name in present and name not in hollow:
                    return Verdict(self.id, Status.met, _quote(turn, name))
        if hollow:
            for name in self.satisfied_by:
                if name in hollow:
                    return Verdict(
                        self.id, Status.missed,
                        f'"{hollow[name]}" repeated as a stock phrase earns no credit ({name})', self.tip,
                    )
        return self.lacking


def _window(applies: Applies, dialog: Dialog, turns: list[ScoredTurn], trainee: list[ScoredTurn]) -> list[ScoredTurn]:
    if applies is Applies.first_reply:
        return trainee[:1]
    if applies in (Applies.every_turn, Applies.session):
        return trainee
    if applies is Applies.company_at_fault:
        return trainee if dialog.owes_apology else []
    if applies is Applies.customer_at_fault:
        return trainee if dialog.customer_at_fault else []
    if applies is Applies.before_first_solution:
        for n, turn in enumerate(trainee):
            if turn.earned(Signal.commitment.value):
                return trainee[: n + 1]
        return trainee
    cue = CustomerCue.manager_request if applies is Applies.after_manager_request else CustomerCue.abuse
    intent = "ask_for_manager" if cue is CustomerCue.manager_request else "insult"
    for turn in turns:
        # A played session records what the director had the customer do; a plain dialog has only the words.
        said = dialog.turns[turn.index].intent == intent or bool(turn.reading.customer.get(cue))
        if turn.role is Role.customer and said:
            return [t for t in trainee if t.index > turn.index]
    return []


def _window_words(applies: Applies, within: int | None) -> str:
    """How a debrief says where a once-owed behaviour was missing."""
    after = {
        Applies.after_manager_request: "after the customer asked for a manager",
        Applies.after_abuse: "after the customer became abusive",
    }.get(applies)
    if within:
        replies = "reply" if within == 1 else f"{within} replies"
        if after:
            return f"in the {replies} {after}" if within == 1 else f"within {replies} {after}"
        return f"in the first {replies}"
    return after or {
        Applies.before_first_solution: "before the first proposed solution",
        Applies.company_at_fault: "although the company is at fault",
        Applies.customer_at_fault: "although the customer is at fault",
    }.get(applies, "in the whole session")


def _quote(turn: ScoredTurn, name: str) -> str:
    spans = turn.reading.spans(name)
    words = ", ".join(f'"{turn.text[s:e]}"' for s, e in spans[:3])
    return f"{words} ({name})"


def _mark_hollow(trainee: list[ScoredTurn]) -> None:
    """Stock phrases said twice in a turn, or again within the last turns, earn no credit."""
    said_in: list[dict[str, list[str]]] = []  # per turn: stock signal -> its phrases, squashed
    for n, turn in enumerate(trainee):
        phrases = turn.reading.phrases
        said_now = {name: [_squash(p) for p in phrases[name]] for name in STOCK if phrases.get(name)}
        said_in.append(said_now)
        for name, said in said_now.items():
            repeated = next((p for p in said if said.count(p) > 1), None)
            if repeated is None:
                before = {p for earlier in said_in[max(0, n - REPEAT_LOOKBACK):n] for p in earlier.get(name, ())}
                repeated = next((p for p in said if p in before), None)
            if repeated is not None:
                turn.hollow[name] = repeated


def _squash(phrase: str) -> str:
    return " ".join(phrase.lower().split())


_SIGNALS = [(s, s.value) for s in Signal]  # in the documented order; iterating the enum per turn showed up
_NAMES: dict[Enum, str] = {m: m.value for e in (Role, Status) for m in e}  # an enum's `.value` is a Python call


def session_json(session: SessionScore, file: str, judged: dict[tuple[int, str], Any] | None = None) -> dict:
    """The public `trainer score --format json` object for one file (documented in the README).

    With `judged` (from the LLM judge), a judged criterion also carries
    "judge": {"model", "status", "reason"} beside the detectors' own verdict.
    """
    turns = []
    written: dict[int, dict[str, Any]] = {}  # id of a verdict -> its JSON object (the verdicts live as long as this)
    for turn in session.turns:
        item: dict = {"index": turn.index, "role": _NAMES[turn.role], "text": turn.text}
        if turn.role is Role.trainee:
            signals = turn.reading.signals
            item["signals"] = {name: bool(signals.get(s)) for s, name in _SIGNALS}
            item["evidence"] = {name: signals.get(s, []) for s, name in _SIGNALS}  # spans: JSON arrays
            item["criteria"] = []
            for v in turn.verdicts:
                opinion = judged.get((turn.index, v.criterion)) if judged else None
                if opinion is None:
                    # Most verdicts quote nothing and are one object shared by many turns: written from one dict.
                    entry = written.get(id(v))
                    if entry is None:
                        entry = written[id(v)] = _verdict_json(v)
                    item["criteria"].append(entry)
                    continue
                entry = _verdict_json(v)
                entry["judge"] = {
                    "model": opinion.model,
                    "status": opinion.status.value if opinion.status else "unclear",
                    "reason": opinion.reason,
                }
                item["criteria"].append(entry)
        turns.append(item)
    return {"file": file, "score": session.score, "passed": session.passed, "turns": turns}


def _verdict_json(v: Verdict) -> dict[str, Any]:
    return {"id": v.criterion, "status": _NAMES[v.status], "evidence": v.evidence, "tip": v.tip}
