"""Transcripts as JSON Lines: a header, one record per turn, a closing record; each flushed to disk as it happens."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from trainer import __version__

FORMAT_VERSION = 1


def content_hash(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class TranscriptWriter:
    """Appends records to one session's file; a crash loses nothing already written."""

    def __init__(self, folder: Path, header: dict[str, Any]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        self.session_id = f"{stamp}-{header.get('persona_id', 'session')}-{secrets.token_hex(3)}"
        self.path = folder / f"{self.session_id}.jsonl"
        self._file = self.path.open("x", encoding="utf-8")
        self.write({
            "type": "header", "format": FORMAT_VERSION, "session_id": self.session_id,
            "scorer_version": __version__, "started": now(), **header,
        })

    def write(self, record: dict[str, Any]) -> None:
        self._file.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()


def read_records(path: Path) -> list[dict[str, Any]]:
    """The records of a transcript; raises ValueError naming the line that is not a record."""
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"line {number}: not a JSON record ({exc.msg})") from None
            if not isinstance(record, dict) or "type" not in record:
                raise ValueError(f"line {number}: not a transcript record")
            records.append(record)
    if not records or records[0].get("type") != "header":
        raise ValueError("line 1: a transcript starts with a header record")
    return records
