"""Live coaching for practice calls: what the last trainee turn earned and missed, and the next most useful move."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.content.rubric import Applies, Criterion, Scope
from trainer.content.vocabulary import Language
from trainer.scoring.dialog import Dialog, Role
from trainer.scoring.scorer import ScoredTurn, Scorer, SessionScore, Status

# Criteria whose window closes soon: the hint offers them before those owed somewhere in the session.
URGENT = (Applies.first_reply, Applies.company_at_fault, Applies.before_first_solution,
          Applies.after_manager_request, Applies.after_abuse)
# A stand-in for the trainee's next reply: it says nothing, so every behaviour owed now shows as missing.
SILENT_REPLY = "…"


@dataclass(frozen=True)
class Mark:
    """One behaviour under a trainee turn: `empathy` earned, `apology owed` or `blame` missed."""

    label: str
    earned: bool
    criterion: str


@dataclass(frozen=True)
class Hint:
    """The next most useful move, in the rubric's own words."""

    title: str
    tip: str
    example: str


def turn_marks(score: SessionScore, turn: ScoredTurn | None = None) -> list[Mark]:
    """What one trainee turn (the last by default) earned and missed, judged as the scorer judges it.

    A behaviour owed somewhere in the whole session is not missed by one turn, so
    only turn-level criteria (every turn, or owed within a few replies) count as missed.
    """
    if turn is None:
        trainee = [t for t in score.turns if t.role is Role.trainee]
        if not trainee:
            return []
        turn = trainee[-1]
    criteria = {c.id: c for c in score.rubric.criteria}
    earned: list[Mark] = []
    missed: list[Mark] = []
    for verdict in turn.verdicts:
        criterion = criteria[verdict.criterion]
        if verdict.status is Status.met and criterion.satisfied_by:
            name = next((n for n in criterion.satisfied_by if turn.earned(n)), criterion.satisfied_by[0])
            earned.append(Mark(_words(name), True, criterion.id))
        elif verdict.status is Status.missed and _turn_level(criterion):
            missed.append(Mark(_missing(criterion, turn), False, criterion.id))
    return _unique(earned) + _unique(missed)


def next_hint(scorer: Scorer, dialog: Dialog) -> Hint | None:
    """The behaviour the trainee's next reply owes most, or None when the rubric owes nothing now."""
    probe = Dialog.model_validate({
        **dialog.model_dump(mode="json"),
        "turns": [*dialog.model_dump(mode="json")["turns"], {"role": "trainee", "text": SILENT_REPLY}],
    })
    score = scorer.score(probe)
    criteria = {c.id: c for c in score.rubric.criteria}
    owed = [
        criteria[v.criterion] for v in score.turns[-1].verdicts
        if v.status is Status.missed and criteria[v.criterion].satisfied_by
    ]
    if not owed:
        return None
    order = {c.id: n for n, c in enumerate(score.rubric.criteria)}
    best = min(owed, key=lambda c: (c.applies not in URGENT, -c.weight, order[c.id]))
    return Hint(best.title, best.tip(score.language), best.example_in(score.language))


def fallback_hint(language: Language) -> Hint:
    del language  # one wording for now; the rubric's own tips are per language
    return Hint(
        "Work towards what would settle it",
        "The rubric owes nothing right now: find out what the customer needs, then commit to it.",
        "What would put this right for you?",
    )


def _turn_level(criterion: Criterion) -> bool:
    return criterion.scope is Scope.each_turn or criterion.within is not None


def _missing(criterion: Criterion, turn: ScoredTurn) -> str:
    violated = next((n for n in criterion.violated_by if n in turn.present), None)
    if violated is not None:
        return _words(violated)
    repeated = next((n for n in criterion.satisfied_by if n in turn.hollow), None)
    if repeated is not None:
        return f"{_words(repeated)} repeated"
    return f"{_words(criterion.satisfied_by[0])} owed"


def _words(name: str) -> str:
    return {"negative_language": "no/can't", "raised_tone": "raised tone", "follow_up": "follow-up",
            "false_promise": "false promise"}.get(name, name.replace("_", " "))


def _unique(marks: list[Mark]) -> list[Mark]:
    seen: set[str] = set()
    out = []
    for mark in marks:
        if mark.label not in seen:
            seen.add(mark.label)
            out.append(mark)
    return out
