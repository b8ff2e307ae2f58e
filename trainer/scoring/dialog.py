"""Dialogs to score: plain JSON dialog files and saved transcripts, validated with clear errors."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from trainer.content.loader import FileError, Problem, describe_plain
from trainer.content.vocabulary import Fault, Language


class Role(str, Enum):
    customer = "customer"
    trainee = "trainee"


class Turn(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    role: Role
    text: Annotated[str, StringConstraints(min_length=1)]
    mood: int | None = Field(None, ge=0, le=100, description="The customer's mood after this turn, where recorded.")
    intent: str | None = Field(None, description="What the director had the customer do (transcripts only).")


class Dialog(BaseModel):
    """A conversation to score: `{"language", "company_at_fault", "turns": [{"role", "text"}]}`."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    language: Language
    company_at_fault: bool = False
    fault: Fault | None = Field(None, description="Optional; 'customer' makes customer_at_fault criteria apply.")
    turns: Annotated[list[Turn], Field(min_length=1)]
    trainee: str = Field("", description="Who took the call, where the transcript names them.")

    @property
    def customer_at_fault(self) -> bool:
        return self.fault is Fault.customer

    @property
    def owes_apology(self) -> bool:
        return self.company_at_fault or self.fault is Fault.company


def dialog_from_records(path: Path, records: list[dict]) -> Dialog:
    """A transcript's records (header first) as a dialog; `path` only names the file in errors."""
    header = records[0]
    # A trainee turn records the mood after it too; the dialog keeps the customer's, one per line they said.
    kept = {"customer": ("role", "text", "mood", "intent"), "trainee": ("role", "text")}
    turns = [
        {k: r[k] for k in kept.get(str(r.get("role")), ("role", "text")) if r.get(k) is not None}
        for r in records if r.get("type") == "turn"
    ]
    data = {"language": header.get("language"), "fault": header.get("fault"), "trainee": header.get("trainee") or "",
            "company_at_fault": header.get("fault") == "company", "turns": turns}
    try:
        return Dialog.model_validate(data)
    except ValidationError as exc:
        raise FileError([describe_plain(path, err) for err in exc.errors()]) from None


def load_dialog(path: Path) -> Dialog:
    """Read a dialog file (JSON), or raise FileError with one line per problem (saved sessions: records.store)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FileError([Problem(path, "file not found")]) from None
    except OSError as exc:
        raise FileError([Problem(path, f"cannot read: {exc.strerror}")]) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise FileError([Problem(path, f"not UTF-8 text (byte {exc.start})")]) from None
    except json.JSONDecodeError as exc:
        raise FileError([Problem(path, f"not valid JSON: {exc.msg}", exc.lineno, exc.colno)]) from None
    if not isinstance(data, dict):
        raise FileError([Problem(path, 'expected a JSON object with "language" and "turns"')])
    for i, turn in enumerate(data.get("turns") or []):
        if isinstance(turn, dict) and isinstance(turn.get("text"), str) and not turn["text"].strip():
            raise FileError([Problem(path, "empty text", field=f"turns[{i}].text")])
    try:
        return Dialog.model_validate(data)
    except ValidationError as exc:
        raise FileError([describe_plain(path, err) for err in exc.errors()]) from None
