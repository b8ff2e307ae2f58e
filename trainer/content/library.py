"""Finds and loads the persona library and rubrics, reporting bad files without stopping on them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from trainer.content.catalogue import LIBRARY_CODE, catalogue_key, keep_catalogue, yaml_below
from trainer.content.loader import (
    FileError,
    Loc,
    Problem,
    YamlDocument,
    load_model,
    load_persona,
    load_rubric,
    read_yaml,
)
from trainer.content.persona import Persona
from trainer.content.phrases import PhraseList


@dataclass
class Library:
    """The personas that loaded, where each came from, and what was wrong with the rest."""

    personas: dict[str, Persona] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, persona_id: str) -> Persona | None:
        return self.personas.get(persona_id)


def yaml_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Every .yaml/.yml file named or found below the given paths, in a stable order."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found.extend(yaml_below(path))
        elif path.is_file():
            found.append(path)
        else:
            problems.append(Problem(path, "no such file or folder"))
    return found, problems


def load_library(folder: Path) -> Library:
    """Load every persona under `folder`; a bad file is recorded in `problems` and skipped."""
    library = Library()
    files, library.problems = yaml_files([folder])
    for path in files:
        try:
            persona = load_persona(path)
        except FileError as exc:
            library.problems.extend(exc.problems)
            continue
        if persona.id in library.personas:
            library.problems.append(
                Problem(path, f"duplicate persona id (also in {library.paths[persona.id]})", field="id")
            )
            continue
        library.personas[persona.id] = persona
        library.paths[persona.id] = path
    return library


def load_library_kept(folder: Path) -> Library:
    """`load_library`, read back from the cache folder while no persona file and no code that reads them changed
    (0.17 s to load, a few milliseconds to read back); its catalogue is kept beside it, for the next start's
    first screen to list before the library has loaded."""
    from trainer.content.cache import kept

    files, _ = yaml_files([folder])
    key = catalogue_key(folder)
    library = kept("library", files, lambda: load_library(folder), LIBRARY_CODE)
    if key is not None and catalogue_key(folder) == key:  # no file was edited while the library loaded
        keep_catalogue(key, library)
    return library


def kind_of(doc: YamlDocument) -> str:
    """Whether a parsed file is a rubric, a phrase list or a persona, from its top-level fields."""
    if "criteria" in doc.data:
        return "rubric"
    if "signals" in doc.data and "scenario" not in doc.data:
        return "phrases"
    return "persona"


def validate_files(
    paths: Iterable[Path], check_persona: Callable[[Persona], list[tuple[Loc, str]]] | None = None
) -> tuple[dict[str, int], list[Problem]]:
    """Check persona and rubric files; returns counts by kind and every problem found.

    check_persona, where given, checks a persona further (its examples, played through the director).
    """
    files, problems = yaml_files(paths)
    counts = {"persona": 0, "rubric": 0, "phrases": 0}
    persona_ids: dict[str, Path] = {}
    for path in files:
        try:
            doc = read_yaml(path)
            kind = kind_of(doc)
            if kind == "rubric":
                load_rubric(doc)
            elif kind == "phrases":
                load_model(doc, PhraseList)
            else:
                persona = load_persona(doc)
                if persona.id in persona_ids:
                    problems.append(
                        Problem(path, f"duplicate persona id (also in {persona_ids[persona.id]})", field="id")
                    )
                persona_ids.setdefault(persona.id, path)
                if check_persona is not None:
                    found = [doc.problem(loc, message) for loc, message in check_persona(persona)]
                    if found:
                        problems.extend(found)
                        continue
        except FileError as exc:
            problems.extend(exc.problems)
            continue
        counts[kind] += 1
    return counts, problems
