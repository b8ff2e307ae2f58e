"""Where the persona library, rubrics and transcripts live, in one place."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # trainer/, above this config/ folder


def _checkout() -> Path | None:
    """The repository this package runs from (a clone, or `pip install -e`); None when installed."""
    root = _PACKAGE.parent
    return root if (root / "pyproject.toml").is_file() and (root / "personas").is_dir() else None


CHECKOUT = _checkout()
# The folder holding personas/ and rubrics/: the checkout's own, or the copies a wheel puts in the package.
PROJECT_ROOT = CHECKOUT or _PACKAGE / "_library"


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
    """TRAINER_TRANSCRIPTS, else the checkout's transcripts/, else the platform's data folder for trainer."""
    return _from_env("TRAINER_TRANSCRIPTS", CHECKOUT / "transcripts" if CHECKOUT else _user_data() / "transcripts")


def home() -> Path:
    """TRAINER_HOME, or the platform's config folder for trainer: the config file, the remembered trainee, keys."""
    value = os.environ.get("TRAINER_HOME")
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("trainer"))


def cache_dir() -> Path:
    """TRAINER_CACHE, else the platform's cache folder for trainer (e.g. ~/.cache/trainer): what is worked out
    once and kept between runs (lemma tables, compiled phrase lists). Anything in it can be deleted."""
    import platformdirs

    return _from_env("TRAINER_CACHE", Path(platformdirs.user_cache_dir("trainer")))


def _user_data() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("trainer"))
