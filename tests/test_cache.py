"""What is kept in the cache folder between runs (compiled phrase lists, the persona library) follows every edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PROJECT
from trainer.content.catalogue import catalogue, kept_catalogue
from trainer.content.library import load_library, load_library_kept
from trainer.content.vocabulary import Signal
from trainer.scoring.detectors import detectors_for

ZEBRA = "Zebras are striped."


def _with_empathy_phrase(folder: Path, phrase: str | None) -> None:
    text = (PROJECT / "rubrics" / "phrases" / "en.yaml").read_text(encoding="utf-8")
    marker = "  empathy:\n"
    start = text.index(marker)
    at = text.index("    phrases:\n", start) + len("    phrases:\n")
    if phrase is not None:
        text = text[:at] + f'      - "{phrase}"\n' + text[at:]
    folder.mkdir(exist_ok=True)
    (folder / "en.yaml").write_text(text, encoding="utf-8")


def _empathy(folder: Path) -> bool:
    detectors_for.cache_clear()  # a new process, as far as the compiled lists go
    return bool(detectors_for("en", folder).read_trainee(ZEBRA).signals[Signal.empathy])


def test_an_edited_phrase_list_is_compiled_again(tmp_path: Path) -> None:
    lists = tmp_path / "phrases"
    _with_empathy_phrase(lists, None)
    assert not _empathy(lists)
    _with_empathy_phrase(lists, "zebra")
    assert _empathy(lists)
    _with_empathy_phrase(lists, None)
    assert not _empathy(lists)


def test_an_unwritable_or_damaged_cache_still_compiles_the_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lists = tmp_path / "phrases"
    _with_empathy_phrase(lists, "zebra")
    blocked = tmp_path / "cache-is-a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("TRAINER_CACHE", str(blocked))
    assert _empathy(lists)
    damaged = tmp_path / "cache"
    monkeypatch.setenv("TRAINER_CACHE", str(damaged))
    assert _empathy(lists)
    for compiled in (damaged / "detectors").iterdir():
        compiled.write_bytes(b"not a pickle")
    assert _empathy(lists)


def test_an_edited_persona_file_is_loaded_again(tmp_path: Path) -> None:
    library = tmp_path / "personas"
    library.mkdir()
    source = PROJECT / "personas" / "en" / "aggressive-broadband-outage.yaml"
    persona = library / source.name
    persona.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    first = load_library_kept(library)
    assert first.personas == load_library(library).personas
    name = first.personas["aggressive-broadband-outage"].name
    persona.write_text(source.read_text(encoding="utf-8").replace(name, "Renamed Customer"), encoding="utf-8")
    assert load_library_kept(library).personas["aggressive-broadband-outage"].name == "Renamed Customer"
    persona.write_text("id: [broken", encoding="utf-8")
    assert load_library_kept(library).problems  # a file broken since is reported, not read back from before


def test_the_catalogue_of_a_library_follows_every_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's first screen lists the catalogue kept at the last start: never one of the files as they were."""
    monkeypatch.setenv("TRAINER_CACHE", str(tmp_path / "cache"))
    library = tmp_path / "personas"
    library.mkdir()
    source = PROJECT / "personas" / "en" / "aggressive-broadband-outage.yaml"
    persona = library / source.name
    persona.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert kept_catalogue(library) is None  # nothing kept before the library was first loaded
    load_library_kept(library)
    assert kept_catalogue(library) == catalogue(load_library(library).personas.values())
    name = load_library(library).personas["aggressive-broadband-outage"].name
    persona.write_text(source.read_text(encoding="utf-8").replace(name, "Renamed Customer"), encoding="utf-8")
    assert kept_catalogue(library) is None
    load_library_kept(library)
    assert [e.name for e in kept_catalogue(library) or []] == ["Renamed Customer"]
