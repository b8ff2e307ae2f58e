"""The certification track: which of a trainee's exam sessions meet which requirement, or what is still missing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from trainer.content.rubric import Certification, Requirement
from trainer.records.history import SessionSummary
from trainer.records.verification import Verification


@dataclass(frozen=True)
class Counted:
    """A requirement and the session that meets it."""

    requirement: Requirement
    session: SessionSummary
    verification: Verification


@dataclass(frozen=True)
class Missing:
    requirement: Requirement
    why: str


@dataclass
class Outcome:
    trainee: str
    track: Certification
    counted: list[Counted] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)

    @property
    def certified(self) -> bool:
        return not self.missing


def same_trainee(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def qualifies(requirement: Requirement, session: SessionSummary) -> bool:
    """Whether the session's customer is one the requirement asks for."""
    if requirement.personas and session.persona_id not in requirement.personas:
        return False
    if requirement.types and session.persona_type not in {t.value for t in requirement.types}:
        return False
    if requirement.languages and session.language not in {x.value for x in requirement.languages}:
        return False
    return requirement.fault is None or session.fault == requirement.fault.value


def shortfall(track: Certification, requirement: Requirement, session: SessionSummary,
              verification: Verification) -> str | None:
    """Why a qualifying session does not count, or None when it does."""
    if session.mode != track.mode:
        return f"taken in {session.mode} mode, not {track.mode}"
    if not session.finished:
        return "unfinished"
    if track.signed and not (verification.ok and verification.signed):
        return "not verified: " + verification.message
    if track.signed and not verification.sealed:
        return "signed only at its end (an exam from before exams were sealed from their first record)"
    if session.score is None or session.score < requirement.min_score:
        return f"score {_score(session.score)}, {requirement.min_score:g} needed"
    if not session.passed:
        return f"score {_score(session.score)} did not pass the rubric"
    return None


def assess(trainee: str, track: Certification, sessions: Iterable[tuple[SessionSummary, Verification]]) -> Outcome:
    """Match sessions to requirements, one session per requirement, best scores first."""
    mine = [(s, v) for s, v in sessions if same_trainee(s.trainee, trainee)]
    mine.sort(key=lambda sv: (-(sv[0].score or 0), sv[0].started))
    eligible: dict[str, list[int]] = {}
    reasons: dict[str, list[str]] = {}
    for requirement in track.requirements:
        eligible[requirement.id] = []
        reasons[requirement.id] = []
        for index, (session, verification) in enumerate(mine):
            if not qualifies(requirement, session):
                continue
            why = shortfall(track, requirement, session, verification)
            if why is None:
                eligible[requirement.id].append(index)
            else:
                reasons[requirement.id].append(f"{session.session_id} ({session.persona_id}): {why}")
    owner = _match([r.id for r in track.requirements], eligible)
    outcome = Outcome(trainee, track)
    taken_by = {index: rid for rid, index in owner.items()}
    titles = {r.id: r.title for r in track.requirements}
    for requirement in track.requirements:
        held = owner.get(requirement.id)
        if held is not None:
            session, verification = mine[held]
            outcome.counted.append(Counted(requirement, session, verification))
            continue
        if eligible[requirement.id]:
            others = sorted({titles[taken_by[i]] for i in eligible[requirement.id] if i in taken_by})
            why = f"its qualifying sessions already count for: {'; '.join(others)}"
        elif reasons[requirement.id]:
            shown = reasons[requirement.id][:3]
            more = len(reasons[requirement.id]) - len(shown)
            why = "no session counts: " + "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
        else:
            why = f"no {track.mode} session with such a customer yet"
        outcome.missing.append(Missing(requirement, why))
    return outcome


def _match(requirements: list[str], eligible: dict[str, list[int]]) -> dict[str, int]:
    """A maximum matching of requirements to sessions (augmenting paths; a handful of each)."""
    owner_of: dict[int, str] = {}

    def place(rid: str, seen: set[int]) -> bool:
        for index in eligible[rid]:
            if index in seen:
                continue
            seen.add(index)
            if index not in owner_of or place(owner_of[index], seen):
                owner_of[index] = rid
                return True
        return False

    for rid in requirements:
        place(rid, set())
    return {rid: index for index, rid in owner_of.items()}


def _score(score: float | None) -> str:
    return "none" if score is None else f"{score:g}"
