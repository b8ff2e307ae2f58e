"""Who is practising: the trainee's name from a flag, TRAINER_TRAINEE, or the name remembered in TRAINER_HOME."""

from __future__ import annotations

import json
import os
import tomllib
import unicodedata
from pathlib import Path

from trainer.config.locations import home
from trainer.errors import UserError

FILE = "trainee.toml"  # a file of its own: the user's config.toml is never rewritten
LONGEST = 100


def clean_name(text: str) -> str:
    """The name as it is recorded, runs of spaces made one; raises UserError when no name can be made of it."""
    name = " ".join(text.split())
    if not name:
        raise UserError("type your name: it is recorded in every transcript, and exams count for a certificate "
                        "only under a name")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in name):  # Cs: bytes that were not UTF-8
        raise UserError("a name cannot hold control characters or undecodable bytes")
    if len(name) > LONGEST:
        raise UserError(f"a name of at most {LONGEST} characters, please")
    return name


def remembered_name(folder: Path | None = None) -> str:
    """The name the app remembered, or "" when there is none that can be read (the app then asks again)."""
    path = (folder or home()) / FILE
    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get("name", "")
        return clean_name(value) if isinstance(value, str) else ""
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, UserError):
        return ""


def remember_name(name: str, folder: Path | None = None) -> Path:
    """Save the name for the next start; raises OSError when the config folder cannot be written."""
    path = (folder or home()) / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{FILE}.{os.getpid()}")
    # A JSON string is a TOML basic string once control characters are ruled out, as clean_name does.
    part.write_text(f"# who practises with `trainer` here; change it with `t` in the app\nname = "
                    f"{json.dumps(clean_name(name), ensure_ascii=False)}\n", encoding="utf-8")
    part.replace(path)
    return path


def resolve_trainee(flag: str | None = None, remember: bool = True, folder: Path | None = None) -> str:
    """--trainee > TRAINER_TRAINEE > the remembered name (unless `remember` is off) > "" (the app asks)."""
    for value, source in ((flag, "--trainee"), (os.environ.get("TRAINER_TRAINEE"), "TRAINER_TRAINEE")):
        if value:
            try:
                return clean_name(value)
            except UserError as exc:
                raise UserError(f"{source}: {exc}") from None
    return remembered_name(folder) if remember else ""
