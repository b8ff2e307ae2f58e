"""Where the persona library, rubrics and transcripts live, in one place."""

from __future__ import annotations

import os
from pathlib import Path

# The checkout (or install) root: personas/, rubrics/ and transcripts/ sit beside the package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


def personas_dir() -> Path:
    """TRAINER_PERSONAS overrides the persona library shipped with the project."""
    return _from_env("TRAINER_PERSONAS", PROJECT_ROOT / "personas")


def rubrics_dir() -> Path:
    """TRAINER_RUBRICS overrides the rubrics shipped with the project."""
    return _from_env("TRAINER_RUBRICS", PROJECT_ROOT / "rubrics")


def default_rubric() -> Path:
    return rubrics_dir() / "default.yaml"


def transcripts_dir() -> Path:
    """TRAINER_TRANSCRIPTS overrides where sessions are saved."""
    return _from_env("TRAINER_TRANSCRIPTS", PROJECT_ROOT / "transcripts")
