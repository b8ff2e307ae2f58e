"""The saved sessions in a transcripts folder: which files are transcripts, and one summary line per session."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer.records.chain import Transcript, TranscriptProblem, read_transcript
from trainer.records.store import FORMAT_VERSION

if TYPE_CHECKING:
    from trainer.scoring.scorer import Scorer

SUFFIX = ".jsonl"


@dataclass(frozen=True)
class Skipped:
    """A file that is not an intact transcript, and why; commands list these and go on with the rest."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class SessionSummary:
    """What the history, the report and certification need from one transcript."""

    path: Path
    session_id: str
    trainee: str
    persona_id: str
    persona_name: str
    persona_type: str
    language: str
    fault: str
    mode: str
    started: str
    rubric: str
    finished: bool
    outcome: str | None
    score: float | None
    passed: bool | None
    end_mood: int | None
    turns: int
    signed: bool
    criteria: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> (met, missed)

    @property
    def status(self) -> str:
        return (self.outcome or "finished") if self.finished else "unfinished"


def transcript_files(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """The files named, and those directly inside the folders named (hidden ones aside), in a stable order.

    Anything in a folder that is not a .jsonl file is reported, not silently passed over.
    """
    files: list[Path] = []
    skipped: list[Skipped] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.name.startswith(".") or child.is_dir():
                    continue
                if child.suffix != SUFFIX:
                    skipped.append(Skipped(child, f"not a transcript (not a {SUFFIX} file)"))
                    continue
                files.append(child)
        elif path.is_file():
            files.append(path)
        else:
            skipped.append(Skipped(path, "no such file or folder"))
    return files, skipped


def read_each(files: Iterable[Path]) -> Iterator[Transcript | Skipped]:
    """Each file read and its chain checked; a second copy of a session already seen is skipped."""
    seen: dict[str, Path] = {}
    for path in files:
        try:
            transcript = read_transcript(path, FORMAT_VERSION)
        except TranscriptProblem as exc:
            yield Skipped(path, str(exc))
            continue
        first = seen.setdefault(transcript.session_id, path)
        if first != path:
            yield Skipped(path, f"a copy of session {transcript.session_id} (already read from {first.name})")
            continue
        yield transcript


def summarise(transcript: Transcript, scorer: Scorer | None = None) -> SessionSummary:
    """One session's summary; a format 1 transcript (no per-criterion totals) is re-scored when a scorer is given."""
    header, end = transcript.header, transcript.end or {}
    turns = transcript.turns
    moods = [t["mood"] for t in turns if t.get("role") == "customer" and isinstance(t.get("mood"), int)]
    criteria = {cid: (int(c.get("met", 0)), int(c.get("missed", 0)))
                for cid, c in (end.get("criteria") or {}).items() if isinstance(c, dict)}
    if transcript.finished and not criteria and scorer is not None:
        criteria = _rescored(transcript, scorer)
    return SessionSummary(
        path=transcript.path,
        session_id=transcript.session_id,
        trainee=_text(header.get("trainee")) or "(no name)",
        persona_id=_text(header.get("persona_id")),
        persona_name=_text(header.get("persona_name")),
        persona_type=_text(header.get("persona_type")),
        language=_text(header.get("language")),
        fault=_text(header.get("fault")),
        mode=transcript.mode,
        started=_text(header.get("started")),
        rubric=f"{_text(header.get('rubric_id'))} v{header.get('rubric_version', '?')}",
        finished=transcript.finished,
        outcome=_text(end.get("outcome")) or None,
        score=_number(end.get("score")),
        passed=end.get("passed") if isinstance(end.get("passed"), bool) else None,
        end_mood=_number(end.get("mood"), int) if end.get("mood") is not None else (moods[-1] if moods else None),
        turns=sum(1 for t in turns if t.get("role") == "trainee"),
        signed=transcript.signature is not None,
        criteria=criteria,
    )


def _rescored(transcript: Transcript, scorer: Scorer) -> dict[str, tuple[int, int]]:
    from trainer.content.loader import FileError
    from trainer.scoring.dialog import dialog_from_records

    try:
        result = scorer.score(dialog_from_records(transcript.path, transcript.records))
    except FileError:
        return {}
    return {r.criterion.id: (r.met, r.missed) for r in result.criteria if r.graded}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(value: Any, kind: type = float) -> Any:
    return kind(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
