"""What a list of customers shows of each persona, as plain data kept beside the library in the cache folder.

The app's first screen lists the customers and previews the highlighted one's scenario: that needs a
few words of each persona, not the persona models (pydantic) or the YAML reader. The catalogue is kept
under the same key as the loaded library (the persona files' bytes and the code that reads them), so
it is read back in a millisecond at start-up and never outlives an edit; the whole library loads after.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.content.cache import content_key, keep, kept_under

if TYPE_CHECKING:
    from trainer.content.library import Library
    from trainer.content.persona import Persona

# The modules whose source decides what a persona library loads as (and so what its catalogue shows).
LIBRARY_CODE = tuple(
    f"trainer.content.{name}" for name in ("library", "loader", "persona", "templates", "formats", "vocabulary")
)
CODE = (*LIBRARY_CODE, "trainer.content.catalogue")


@dataclass(frozen=True)
class Entry:
    """One customer as a list shows them: who, of which type, language and difficulty, and the scenario in brief."""

    id: str
    name: str
    type: str
    language: str
    difficulty: str
    summary: str
    company: str
    product: str
    problem: str
    fault: str
    mood: int
    patience: int


def yaml_below(folder: Path) -> list[Path]:
    """Every .yaml/.yml file below `folder` (hidden ones aside), in a stable order: the files of a library."""
    return sorted(
        p for p in folder.rglob("*")
        if p.suffix in (".yaml", ".yml") and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def catalogue_key(folder: Path) -> str | None:
    """The key of the library under `folder` as its files are now; None when one of them cannot be read."""
    return content_key(yaml_below(folder) if folder.is_dir() else [folder] if folder.is_file() else [], CODE)


def kept_catalogue(folder: Path) -> list[Entry] | None:
    """The catalogue of the library under `folder`, when one was kept for its files as they are now."""
    key = catalogue_key(folder)
    found = kept_under("catalogue", key) if key is not None else None
    return found if isinstance(found, list) else None


def keep_catalogue(key: str, library: Library) -> list[Entry]:
    """The catalogue of `library`, kept under `key` (`catalogue_key` of its folder, taken before it was loaded)."""
    entries = catalogue(library.personas.values())
    if kept_under("catalogue", key) != entries:
        keep("catalogue", key, entries)
    return entries


def catalogue(personas: Iterable[Persona]) -> list[Entry]:
    """The entries of these personas, in the order a list shows them: English first, then by language, type, id."""
    entries = [
        Entry(
            id=p.id, name=p.name, type=p.type.value, language=p.language.value, difficulty=p.difficulty.value,
            summary=p.summary, company=p.scenario.company, product=p.scenario.product, problem=p.scenario.problem,
            fault=p.scenario.fault.value, mood=p.temperament.mood, patience=p.temperament.patience,
        )
        for p in personas
    ]
    return sorted(entries, key=lambda e: (e.language != "en", e.language, e.type, e.id))
