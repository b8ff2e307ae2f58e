"""Transcripts as JSON Lines: a header, one record per turn, a closing record; each flushed to disk as it happens.

Each record carries its number in the file (`n`) and the hash of the record before it
(`prev`, see trainer/records/chain.py), so a changed, removed or reordered record shows.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer import __version__
from trainer.content.loader import FileError, Problem
from trainer.records.chain import link, record_hash
from trainer.scoring.dialog import Dialog, dialog_from_records, load_dialog

if TYPE_CHECKING:
    from trainer.records.signing import Signer

# 1: no chain; 2: records numbered and chained, trainee turns carry verdicts and mood, exams signed;
# 3: exams sealed after every record from the header on, `resumed` records where a session was continued;
# 4: customer turns say who voiced them (`voice`: model, or scripted and why), and a call the trainee ended is
#    `hung_up` (format 3 and older recorded it as `out_of_turns`).
FORMAT_VERSION = 4


def content_hash(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class TranscriptWriter:
    """Appends records to one session's file; a crash loses nothing already written.

    With a `sealer` (exams), every record is followed by a seal: the trainer's
    signature over the chain so far, so the file can be trusted from its header on
    and a crashed exam can be resumed without trusting anything it did not write.
    """

    def __init__(self, folder: Path, header: dict[str, Any], sealer: Signer | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        self.session_id = f"{stamp}-{header.get('persona_id', 'session')}-{secrets.token_hex(3)}"
        self.path = folder / f"{self.session_id}.jsonl"
        self._file = self.path.open("x", encoding="utf-8")
        self._last: dict[str, Any] | None = None
        self.count = 0
        self.sealer = sealer
        self.write({
            "type": "header", "format": FORMAT_VERSION, "session_id": self.session_id,
            "scorer_version": __version__, "started": now(), **header,
        })

    @classmethod
    def reopen(cls, path: Path, records: list[dict[str, Any]], sealer: Signer | None = None) -> TranscriptWriter:
        """Append to an unfinished session's file, continuing its chain after `records` (all it holds)."""
        writer = cls.__new__(cls)
        writer.session_id = str(records[0]["session_id"])
        writer.path = path
        writer._last = records[-1]
        writer.count = len(records)
        writer.sealer = sealer
        writer._file = path.open("a", encoding="utf-8")
        return writer

    @property
    def last_hash(self) -> str | None:
        return record_hash(self._last) if self._last else None

    def write(self, record: dict[str, Any]) -> None:
        self._append(record)
        if self.sealer is not None and record["type"] not in ("seal", "signature"):
            self._append(self.sealer.seal_record(self.session_id, self.count, self.last_hash or ""))

    def _append(self, record: dict[str, Any]) -> None:
        record = link(record, self._last, self.count)
        self._file.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())
        self._last = record
        self.count += 1

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


def dialog_from_transcript(path: Path) -> Dialog:
    """A saved session (JSON Lines) as a dialog: its turns, with the moods and intents the director recorded."""
    try:
        records = read_records(path)
    except ValueError as exc:
        raise FileError([Problem(path, str(exc))]) from None
    except UnicodeDecodeError as exc:
        raise FileError([Problem(path, f"not UTF-8 text (byte {exc.start})")]) from None
    return dialog_from_records(path, records)


def recorded_outcome(path: Path) -> str | None:
    """How a saved session ended, from its closing record; None for a dialog file or an unfinished session."""
    if path.suffix != ".jsonl":
        return None
    try:
        records = read_records(path)
    except (OSError, ValueError):
        return None
    end = next((r for r in records if r.get("type") == "end"), None)
    return str(end["outcome"]) if end and end.get("outcome") else None


def load_scorable(path: Path) -> Dialog:
    """A dialog file (JSON) or a saved session (JSON Lines) as a dialog to score; FileError names each problem."""
    if path.suffix == ".jsonl":
        if not path.exists():
            raise FileError([Problem(path, "file not found")])
        return dialog_from_transcript(path)
    return load_dialog(path)
