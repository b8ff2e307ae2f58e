"""The cohort report: per trainee and criterion (met rate, trend, weakest), per persona (pass rate, mood at the end)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import escape

from trainer.records.history import SessionSummary
from trainer.scoring.charts import Scale, line_chart

WEAKEST = 3


@dataclass
class CriterionStat:
    id: str
    title: str
    met: int = 0
    missed: int = 0
    sessions: int = 0  # sessions in which the criterion was graded
    trend: float | None = None  # met rate of the later sessions minus the earlier ones, in percentage points

    @property
    def rate(self) -> float:
        total = self.met + self.missed
        return self.met / total if total else 0.0


@dataclass
class TraineeStat:
    name: str
    sessions: int = 0
    passed: int = 0
    unfinished: int = 0
    scores: list[float] = field(default_factory=list)  # finished sessions, oldest first
    criteria: list[CriterionStat] = field(default_factory=list)

    @property
    def average(self) -> float | None:
        return sum(self.scores) / len(self.scores) if self.scores else None

    @property
    def trend(self) -> float | None:
        return _trend(self.scores)

    @property
    def weakest(self) -> list[CriterionStat]:
        missed = [c for c in self.criteria if c.missed]
        return sorted(missed, key=lambda c: (c.rate, -c.missed, c.id))[:WEAKEST]


@dataclass
class PersonaStat:
    id: str
    name: str
    sessions: int = 0
    passed: int = 0
    moods: list[int] = field(default_factory=list)
    endings: dict[str, int] = field(default_factory=dict)  # outcome -> sessions, e.g. {"resolved": 2, "hung_up": 1}

    @property
    def pass_rate(self) -> float:
        return self.passed / self.sessions if self.sessions else 0.0

    @property
    def average_end_mood(self) -> float | None:
        return sum(self.moods) / len(self.moods) if self.moods else None

    @property
    def endings_text(self) -> str:
        """How its calls ended, most frequent first: "resolved 2, hung up 1"."""
        ranked = sorted(self.endings.items(), key=lambda item: (-item[1], item[0]))
        return ", ".join(f"{outcome.replace('_', ' ')} {count}" for outcome, count in ranked)


@dataclass
class Report:
    trainees: list[TraineeStat]
    personas: list[PersonaStat]
    criteria: list[CriterionStat]  # the whole cohort
    sessions: int
    unfinished: int


def build_report(summaries: Iterable[SessionSummary], titles: dict[str, str]) -> Report:
    """`titles` names the criteria (from the rubric); criteria the rubric no longer has are shown by id."""
    order = {cid: n for n, cid in enumerate(titles)}
    by_trainee: dict[str, list[SessionSummary]] = defaultdict(list)
    personas: dict[str, PersonaStat] = {}
    total = unfinished = 0
    for summary in summaries:
        total += 1
        by_trainee[summary.trainee].append(summary)
        if not summary.finished:
            unfinished += 1
            continue
        persona = personas.setdefault(summary.persona_id, PersonaStat(summary.persona_id, summary.persona_name))
        persona.sessions += 1
        persona.passed += bool(summary.passed)
        outcome = summary.outcome or "finished"
        persona.endings[outcome] = persona.endings.get(outcome, 0) + 1
        if summary.end_mood is not None:
            persona.moods.append(summary.end_mood)
    trainees = [_trainee(name, sessions, titles, order) for name, sessions in by_trainee.items()]
    trainees.sort(key=lambda t: t.name.casefold())
    everyone = [s for group in by_trainee.values() for s in group if s.finished]
    everyone.sort(key=lambda s: s.started)
    cohort = _criteria(everyone, titles, order)
    return Report(trainees, sorted(personas.values(), key=lambda p: p.id), cohort, total, unfinished)


def _trainee(name: str, sessions: list[SessionSummary], titles: dict[str, str], order: dict[str, int]) -> TraineeStat:
    sessions = sorted(sessions, key=lambda s: s.started)
    finished = [s for s in sessions if s.finished]
    stat = TraineeStat(name, len(sessions), sum(bool(s.passed) for s in finished), len(sessions) - len(finished))
    stat.scores = [s.score for s in finished if s.score is not None]
    stat.criteria = _criteria(finished, titles, order)
    return stat


def _criteria(sessions: list[SessionSummary], titles: dict[str, str], order: dict[str, int]) -> list[CriterionStat]:
    stats: dict[str, CriterionStat] = {}
    series: dict[str, list[float]] = defaultdict(list)
    for summary in sessions:  # oldest first
        for cid, (met, missed) in summary.criteria.items():
            stat = stats.get(cid)
            if stat is None:
                stat = stats[cid] = CriterionStat(cid, titles.get(cid, cid))
            stat.met += met
            stat.missed += missed
            stat.sessions += 1
            if met + missed:
                series[cid].append(met / (met + missed))
    for cid, stat in stats.items():
        trend = _trend(series[cid])
        stat.trend = None if trend is None else trend * 100
    return sorted(stats.values(), key=lambda c: (order.get(c.id, len(order)), c.id))


def _trend(values: list[float]) -> float | None:
    """The later half's mean minus the earlier half's (the middle value of an odd count left out)."""
    if len(values) < 2:
        return None
    half = len(values) // 2
    earlier, later = values[:half], values[-half:]
    return sum(later) / half - sum(earlier) / half


def trend_text(trend: float | None) -> str:
    if trend is None:
        return "–"
    if abs(trend) < 0.5:
        return "→ 0"
    return f"↑ +{trend:.0f}" if trend > 0 else f"↓ {trend:.0f}"


def report_csv(report: Report) -> str:
    """One row per trainee and criterion: the spreadsheet view of the report."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["trainee", "criterion", "title", "sessions", "met", "missed", "met_rate", "trend", "weakest"])
    for trainee in report.trainees:
        weakest = {c.id for c in trainee.weakest}
        for c in trainee.criteria:
            writer.writerow([
                trainee.name, c.id, c.title, c.sessions, c.met, c.missed, f"{c.rate:.3f}",
                "" if c.trend is None else f"{c.trend:.1f}", "yes" if c.id in weakest else "",
            ])
    return out.getvalue()


# ---- charts: inline SVG, no scripts, so the page stays one self-contained file ----------------------------


def rate_bars(rows: list[tuple[str, float, str]], width: int = 560) -> str:
    """A horizontal bar per (label, share 0-1, text at the end)."""
    if not rows:
        return ""
    row, label = 22, 250
    height = row * len(rows) + 8
    parts = []
    for i, (name, share, text) in enumerate(rows):
        top = 4 + i * row
        colour = "#2f8f5b" if share >= 0.7 else "#d18a1d" if share >= 0.4 else "#c0392b"
        name = name if len(name) <= 38 else name[:37] + "…"
        parts.append(
            f'<text x="0" y="{top + 14}" font-size="11">{escape(name)}</text>'
            f'<rect x="{label}" y="{top + 3}" width="{width - label - 60}" height="14" fill="#eef0f5"/>'
            f'<rect x="{label}" y="{top + 3}" width="{(width - label - 60) * share:.1f}" height="14" fill="{colour}"/>'
            f'<text x="{width - 54}" y="{top + 14}" font-size="11">{escape(text)}</text>'
        )
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="bar chart">{"".join(parts)}</svg>')


def score_line(scores: list[float], threshold: float, width: int = 560, height: int = 120) -> str:
    """Session scores in order, with the pass threshold as a dashed line."""
    pad = 24

    def threshold_line(y: Scale) -> str:
        return (f'<line x1="{pad}" x2="{width - pad}" y1="{y(threshold):.1f}" y2="{y(threshold):.1f}" '
                f'stroke="#5b6478" stroke-dasharray="4 3"/>')

    label = f"Scores from {scores[0]:.0f} to {scores[-1]:.0f}" if scores else ""
    return line_chart(scores, label, width=width, height=height, pad=pad, background=threshold_line)

