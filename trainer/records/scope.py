"""Whose transcripts a signed-in classroom identity may read: a trainee their own, a trainer the cohort's."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from trainer.classroom.identity import Identity
from trainer.errors import UserError

# A session id as TranscriptWriter makes it: no separators, no "..", nothing a path could climb with.
SESSION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*")
SUFFIX = ".jsonl"


class NotYours(UserError):
    """One message for a session that does not exist and one that is someone else's: neither says which."""

    def __init__(self, session_id: str) -> None:
        shown = session_id if len(session_id) <= 80 and session_id.isprintable() else "that session"
        super().__init__(f"{shown}: no such session of yours")


def header_of(path: Path) -> dict[str, Any] | None:
    """The first record of a transcript, when it is a header; None for anything else."""
    try:
        with path.open(encoding="utf-8") as handle:
            record = json.loads(handle.readline())
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("type") == "header" else None


def sat_by(header: dict[str, Any]) -> str | None:
    """The signed-in name the classroom server recorded for this call (never a typed one), or None."""
    proctored = header.get("proctored")
    user = proctored.get("user") if isinstance(proctored, dict) else None
    return user if isinstance(user, str) else None


def may_read(header: dict[str, Any] | None, identity: Identity | None) -> bool:
    """Outside a classroom (identity None) everything; a trainer everything; a trainee what they sat."""
    if identity is None or identity.sees_cohort:
        return True
    return header is not None and sat_by(header) == identity.name


def visible_transcripts(folder: Path, identity: Identity | None) -> list[Path]:
    """The transcripts in `folder` this identity may read; for a trainee, a file that cannot be read is not theirs."""
    if not folder.is_dir():
        return []
    files = sorted(p for p in folder.glob(f"*{SUFFIX}") if not p.name.startswith(".") and p.is_file())
    if identity is None or identity.sees_cohort:
        return files
    return [path for path in files if may_read(header_of(path), identity)]


def transcript_for(folder: Path, session_id: str, identity: Identity | None) -> Path:
    """The transcript of `session_id`, when this identity may read it; raises NotYours otherwise."""
    if not SESSION_ID.fullmatch(session_id) or len(session_id) > 200:
        raise NotYours(session_id)
    root = folder.resolve()
    path = (root / f"{session_id}{SUFFIX}").resolve()
    if path.parent != root or not path.is_file() or not may_read(header_of(path), identity):
        raise NotYours(session_id)
    return path
