"""The debrief after a session: score, criteria, strongest and weakest moments, mood, and what to practise next."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trainer.content.library import Library
from trainer.content.rubric import Criterion, Scope
from trainer.content.vocabulary import Language
from trainer.scoring.charts import Scale, line_chart
from trainer.scoring.scorer import CriterionResult, ScoredTurn, SessionScore, Status

MOMENTS = 3


@dataclass
class Moment:
    turn: ScoredTurn
    value: float
    met: list[Criterion]
    missed: list[Criterion]
    better: str = ""


@dataclass
class Practice:
    criterion: Criterion
    rate: float
    tip: str
    personas: list[tuple[str, str]] = field(default_factory=list)  # (id, name)


@dataclass
class Debrief:
    session: SessionScore
    strongest: list[Moment]
    weakest: list[Moment]
    mood: list[int]
    practise: list[Practice]

    @property
    def language(self) -> Language:
        return self.session.language


def build_debrief(session: SessionScore, library: Library | None = None, mood: list[int] | None = None) -> Debrief:
    criteria = {c.id: c for c in session.rubric.criteria}
    moments = []
    for turn in session.turns:
        if turn.role.value != "trainee":
            continue
        # Only moves count as strengths; not shouting is expected, not earned.
        met = [criteria[v.criterion] for v in turn.verdicts
               if v.status is Status.met and criteria[v.criterion].satisfied_by]
        # A behaviour owed somewhere in the whole session is missed by no single turn.
        missed = [criteria[v.criterion] for v in turn.verdicts
                  if v.status is Status.missed and _turn_level(criteria[v.criterion])]
        value = sum(c.weight for c in met) - sum(c.weight for c in missed)
        moments.append(Moment(turn, value, met, missed))
    # Stable order: ties keep transcript order, so the same session gives the same debrief.
    strongest = [m for m in sorted(moments, key=lambda m: -m.value) if m.met and m.value > 0][:MOMENTS]
    weakest = [m for m in sorted(moments, key=lambda m: m.value) if m.missed and m not in strongest][:MOMENTS]
    for moment in weakest:
        moment.better = better_phrasing(moment, session.language)
    return Debrief(session, strongest, weakest, mood or [], _practise(session, library))


def better_phrasing(moment: Moment, language: Language) -> str:
    """The weak turn rewritten: the missing moves in the rubric's own words, the trainee's clean sentences kept."""
    turn = moment.turn
    bad_spans = [
        span for c in moment.missed for name in c.violated_by for span in turn.reading.spans(name)
    ]
    kept = []
    for sentence in re.split(r"(?<=[.!?…])\s+", turn.text.strip()):
        start = turn.text.find(sentence)
        end = start + len(sentence)
        if sentence and not any(s < end and start < e for s, e in bad_spans):
            kept.append(sentence)
    openers: list[str] = []
    closers: list[str] = []
    # The missing moves first, heaviest first; then plain replacements for what went wrong.
    for criterion in sorted(moment.missed, key=lambda c: (not c.satisfied_by, -c.weight)):
        phrase = criterion.example_in(language)
        if not phrase or phrase in openers or phrase in closers:
            continue
        # Feelings, apologies and restating come first; fixes and commitments after the trainee's own words.
        (openers if criterion.applies.value in ("first_reply", "company_at_fault", "before_first_solution")
         else closers).append(phrase)
    parts = openers[:2] + kept + closers[:2]
    return " ".join(p.strip() for p in parts if p.strip())


def _turn_level(criterion: Criterion) -> bool:
    return criterion.scope is Scope.each_turn or criterion.within is not None


def _practise(session: SessionScore, library: Library | None) -> list[Practice]:
    weak: list[CriterionResult] = sorted(
        (r for r in session.criteria if r.graded and r.missed),
        key=lambda r: (r.rate, -r.criterion.weight),
    )[:3]
    out = []
    for result in weak:
        criterion = result.criterion
        practice = Practice(criterion, result.rate, criterion.tip(session.language))
        if library is not None:
            for persona in library.personas.values():
                if persona.type in criterion.practise_with and persona.language == session.language:
                    practice.personas.append((persona.id, persona.name))
        out.append(practice)
    return out


def mood_chart(mood: list[int], width: int = 560, height: int = 160) -> str:
    """An inline SVG line chart of the customer's mood (0 calm - 100 furious) over the mood bands; "" without data."""
    pad = 28

    def bands(y: Scale) -> str:
        return "".join(
            f'<rect x="{pad}" y="{y(top):.1f}" width="{width - 2 * pad}" height="{y(bottom) - y(top):.1f}" fill="{colour}"/>'
            for top, bottom, colour in ((100, 67, "#fbe3e1"), (67, 34, "#fdf3dc"), (34, 0, "#e3f4e8"))
        )

    label = f"Customer mood from {mood[0]} to {mood[-1]}" if mood else ""
    return line_chart([float(m) for m in mood], label, width=width, height=height, pad=pad, background=bands, dots=True)


def criteria_chart(results: list[CriterionResult], width: int = 560) -> str:
    """An inline SVG bar per graded criterion: the share of its verdicts that were met."""
    graded = [r for r in results if r.graded]
    if not graded:
        return ""
    row, label = 22, 250
    height = row * len(graded) + 8
    bars = []
    for i, r in enumerate(graded):
        top = 4 + i * row
        length = (width - label - 50) * r.rate
        colour = "#2f8f5b" if r.rate >= 0.7 else "#d18a1d" if r.rate >= 0.4 else "#c0392b"
        title = r.criterion.title if len(r.criterion.title) <= 38 else r.criterion.title[:37] + "…"
        bars.append(
            f'<text x="0" y="{top + 14}" font-size="11">{_svg_text(title)}</text>'
            f'<rect x="{label}" y="{top + 3}" width="{width - label - 50}" height="14" fill="#eef0f5"/>'
            f'<rect x="{label}" y="{top + 3}" width="{length:.1f}" height="14" fill="{colour}"/>'
            f'<text x="{width - 44}" y="{top + 14}" font-size="11">{r.met}/{r.met + r.missed}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Criteria met">{"".join(bars)}</svg>'
    )


def _svg_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
