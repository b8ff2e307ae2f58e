"""The saved sessions in the transcripts folder as history rows; a broken file is a row too, never a crash."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainer.classroom.identity import Identity
from trainer.records.history import SUFFIX, Skipped, read_each, summarise, transcript_files
from trainer.records.scope import visible_transcripts


@dataclass(frozen=True)
class PastSession:
    path: Path
    started: str  # "2026-03-02 14:05" (UTC, as recorded), or "" when unknown
    persona: str
    mode: str
    score: float | None
    passed: bool | None
    finished: bool = False
    problem: str = ""  # why the file cannot be read; empty when it can
    trainee: str = ""

    @property
    def result(self) -> str:
        if self.problem:
            return "broken"
        if not self.finished or self.passed is None:
            return "unfinished"
        return "passed" if self.passed else "not passed"


def list_sessions(folder: Path, identity: Identity | None = None) -> list[PastSession]:
    """Every transcript in `folder` (in a classroom, those `identity` may read), newest first, read and checked
    by trainer.records.history."""
    if not folder.is_dir():
        return []
    if identity is not None and not identity.sees_cohort:
        # A trainee's own, by the name the server recorded; a file that cannot be read is nobody's to them.
        files, skipped = visible_transcripts(folder, identity), list[Skipped]()
    else:
        files, skipped = transcript_files([folder])
    # Only transcripts that fail are rows; other files beside them (saved debriefs…) are not sessions.
    rows = [_broken(s) for s in skipped if s.path.suffix == SUFFIX]
    for item in read_each(files):
        if isinstance(item, Skipped):
            rows.append(_broken(item))
            continue
        s = summarise(item)
        rows.append(PastSession(s.path, _minute(s.started), s.persona_name or s.persona_id or s.path.stem,
                                s.mode, s.score, s.passed, s.finished, trainee=s.trainee))
    return sorted(rows, key=lambda r: (r.started, r.path.name), reverse=True)


def _broken(skipped: Skipped) -> PastSession:
    name = skipped.path.name
    return PastSession(skipped.path, "", name if len(name) <= 24 else name[:23] + "…", "", None, None,
                       problem=skipped.reason)


def _minute(stamp: str) -> str:
    """"2026-03-02T14:05:09.123+00:00" as "2026-03-02 14:05"."""
    return stamp[:10] + " " + stamp[11:16] if len(stamp) >= 16 else ""
