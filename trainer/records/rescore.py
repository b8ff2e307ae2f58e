"""Re-scores saved sessions with the current or a new rubric and says what changed; the transcripts are only read."""

from __future__ import annotations

from dataclasses import dataclass, field

from trainer.content.vocabulary import Signal
from trainer.records.chain import Transcript
from trainer.records.history import summarise
from trainer.scoring.dialog import dialog_from_records
from trainer.scoring.scorer import Scorer

Counts = tuple[int, int]  # (met, missed)


@dataclass
class Rescored:
    """One transcript: the recorded result beside the new one, and each difference."""

    transcript: Transcript
    old_score: float | None
    new_score: float
    old_passed: bool | None
    new_passed: bool
    criteria: list[tuple[str, Counts | None, Counts | None]] = field(default_factory=list)
    signals: list[tuple[int, str, bool, bool]] = field(default_factory=list)  # (turn index, signal, was, now)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return (self.old_score != self.new_score or self.old_passed != self.new_passed
                or bool(self.criteria) or bool(self.signals))


def rescore(transcript: Transcript, scorer: Scorer) -> Rescored:
    """Raises FileError when the records do not make a dialog (no turns, an unknown language)."""
    header = transcript.header
    dialog = dialog_from_records(transcript.path, transcript.records)
    new = scorer.score(dialog)
    old = summarise(transcript)
    result = Rescored(transcript, old.score, new.score, old.passed, new.passed)
    rubric = scorer.rubric
    if (header.get("rubric_id"), header.get("rubric_version")) != (rubric.id, rubric.version):
        result.notes.append(
            f"recorded with rubric {header.get('rubric_id')} v{header.get('rubric_version')}, "
            f"re-scored with {rubric.id} v{rubric.version}"
        )
    new_counts = {r.criterion.id: (r.met, r.missed) for r in new.criteria if r.graded}
    if transcript.finished:
        for cid in list(old.criteria) + [c for c in new_counts if c not in old.criteria]:
            before, after = old.criteria.get(cid), new_counts.get(cid)
            if before != after:
                result.criteria.append((cid, before, after))
    for index, (record, turn) in enumerate(zip(transcript.turns, new.turns)):
        if record.get("role") != "trainee" or not isinstance(record.get("signals"), dict):
            continue
        for signal in Signal:
            was = bool(record["signals"].get(signal.value))
            now = bool(turn.reading.signals.get(signal))
            if was != now:
                result.signals.append((index, signal.value, was, now))
    return result


def counts_text(counts: Counts | None) -> str:
    if counts is None:
        return "not graded"
    met, missed = counts
    return f"{met}/{met + missed} met"
