"""The hash chain over a transcript's records: canonical JSON, record hashes, and where a file breaks the chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.errors import UserError

HASH_PREFIX = "sha256:"


def canonical(record: dict[str, Any]) -> bytes:
    """The one byte form of a record that its hash is taken over: sorted keys, no spaces, UTF-8."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def record_hash(record: dict[str, Any]) -> str:
    return HASH_PREFIX + hashlib.sha256(canonical(record)).hexdigest()


def link(record: dict[str, Any], previous: dict[str, Any] | None, number: int) -> dict[str, Any]:
    """The record as written: its number in the file and the hash of the record before it come first."""
    return {"type": record["type"], "n": number, "prev": record_hash(previous) if previous else None,
            **{k: v for k, v in record.items() if k not in ("type", "n", "prev")}}


class TranscriptProblem(UserError):
    """Why a file is not an intact transcript, in words for the user (the file name is added by the caller)."""


@dataclass
class Transcript:
    """A transcript file read and checked: its records, and whether its chain holds."""

    path: Path
    records: list[dict[str, Any]]
    chained: bool = True  # format 1 files predate the chain: readable, not verifiable
    notes: list[str] = field(default_factory=list)

    @property
    def header(self) -> dict[str, Any]:
        return self.records[0]

    @property
    def session_id(self) -> str:
        return str(self.header.get("session_id") or self.path.stem)

    @property
    def end(self) -> dict[str, Any] | None:
        return next((r for r in reversed(self.records) if r.get("type") == "end"), None)

    @property
    def signature(self) -> dict[str, Any] | None:
        last = self.records[-1]
        return last if last.get("type") == "signature" else None

    @property
    def turns(self) -> list[dict[str, Any]]:
        return [r for r in self.records if r.get("type") == "turn"]

    @property
    def finished(self) -> bool:
        return self.end is not None

    @property
    def mode(self) -> str:
        return str(self.header.get("mode") or "practice")

    @property
    def format(self) -> int:
        return int(self.header.get("format") or 1)

    @property
    def resumed_at(self) -> list[int]:
        """The lines (from 1) at which the session was continued by `trainer resume`."""
        return [i + 1 for i, r in enumerate(self.records) if r.get("type") == "resumed"]


def read_transcript(path: Path, newest_format: int) -> Transcript:
    """Read a transcript and check its chain; raises TranscriptProblem naming the first line that breaks it.

    Truncated (a last line cut off), changed (a record that no longer hashes to what the
    next one holds), reordered (a record whose predecessor is elsewhere in the file),
    removed (a gap in the record numbers) and foreign files are told apart.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TranscriptProblem(f"cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TranscriptProblem(f"not a transcript: not UTF-8 text (byte {exc.start})") from None
    lines = text.split("\n")
    cut = lines[-1] != ""  # every record is written with its newline; a missing one means the write was cut
    if not cut:
        lines.pop()
    records: list[dict[str, Any]] = []
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            record = None
        if not isinstance(record, dict) or "type" not in record:
            if number == 1:
                raise TranscriptProblem("not a transcript: line 1 is not a header record")
            if number == len(lines) and cut:
                raise TranscriptProblem(f"truncated: line {number}, the last record, is cut off")
            raise TranscriptProblem(f"line {number} is not a transcript record (changed by hand?)")
        records.append(record)
    if not records:
        raise TranscriptProblem("not a transcript: the file is empty")
    header = records[0]
    if header.get("type") != "header" or not header.get("session_id"):
        raise TranscriptProblem("not a transcript: line 1 is not a header record")
    version = header.get("format")
    if not isinstance(version, int) or version < 1:
        raise TranscriptProblem("not a transcript: the header has no format version")
    if version > newest_format:
        raise TranscriptProblem(f"written by a newer trainer (format {version}; this one reads up to {newest_format})")
    if version == 1:
        return Transcript(path, records, chained=False, notes=["format 1: written before the hash chain"])
    problem = chain_break(records)
    if problem:
        raise TranscriptProblem(problem)
    return Transcript(path, records)


def chain_break(records: list[dict[str, Any]]) -> str | None:
    """Where the chain first breaks, as a line of text, or None when every record follows the one before."""
    hashes = [record_hash(r) for r in records]
    if records[0].get("n") != 0 or records[0].get("prev") is not None:
        return "line 1 was changed (the header is not the start of a chain)"
    for i in range(1, len(records)):
        record = records[i]
        if record.get("prev") == hashes[i - 1] and record.get("n") == i:
            continue
        line = i + 1
        number = record.get("n")
        if record.get("prev") == hashes[i - 1]:
            return f"line {line} was changed (its record number is {number!r}, expected {i})"
        if hashes[i] in hashes[:i]:
            return f"line {line} repeats line {hashes.index(hashes[i]) + 1}"
        elsewhere = next((k for k, h in enumerate(hashes) if h == record.get("prev") and k != i - 1), None)
        if elsewhere is not None:
            return f"reordered: line {line} belongs after line {elsewhere + 1}, not after line {line - 1}"
        if isinstance(number, int) and number > i:
            missing = number - i
            lines = "1 line is" if missing == 1 else f"{missing} lines are"
            return f"records removed: {lines} missing before line {line}"
        return f"line {line - 1} was changed (line {line} holds a different hash for it)"
    return None
