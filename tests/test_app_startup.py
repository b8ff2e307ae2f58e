"""The first screen lists the customers before the persona library has loaded, and loses nothing meanwhile.

The list is drawn from the catalogue kept at the last start (under the hash of the persona files);
the library loads in a worker after the first paint. These tests hold that worker back to see the
screen as a trainee would in its first fraction of a second.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from textual.widgets import Button, OptionList

from tests.app_driver import LIBRARY, PERSONA, app_for, flat, settle, shown
from tests.conftest import FIXTURES, PROJECT
from trainer.app.screens.choose import ChooseScreen
from trainer.app.screens.conversation import ConversationScreen
from trainer.content import library as library_module
from trainer.content.catalogue import kept_catalogue
from trainer.content.library import load_library, load_library_kept

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder of this test's own: what one start keeps, the next one finds."""
    monkeypatch.setenv("TRAINER_CACHE", str(tmp_path / "cache"))


@pytest.fixture
def held_library(monkeypatch: pytest.MonkeyPatch):
    """The app's library loader, held until the test sets the event it returns."""
    release = threading.Event()
    loader = library_module.load_library_kept

    def held(folder: Path):
        release.wait(30)
        return loader(folder)

    monkeypatch.setattr(library_module, "load_library_kept", held)
    yield release
    release.set()


def names(screen) -> list[str]:
    personas = screen.query_one("#personas", OptionList)
    return [flat(str(personas.get_option_at_index(i).prompt)) for i in range(personas.option_count)]


async def test_the_list_is_drawn_before_the_library_loads_and_enter_opens_the_call_once_it_has(
    tmp_path: Path, held_library: threading.Event
) -> None:
    from trainer.config.settings import home
    from trainer.records.signing import init_keys

    init_keys(home())  # the call is an exam, and exams are signed
    load_library_kept(PROJECT / "personas")  # a start before this one kept the catalogue
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChooseScreen) and app.library is None
        assert len(names(screen)) == len(LIBRARY.personas)
        personas = screen.query_one("#personas", OptionList)
        personas.highlighted = next(i for i in range(personas.option_count)
                                    if personas.get_option_at_index(i).id == PERSONA.id)
        await pilot.pause()
        preview = flat(shown(screen.query_one("#preview")))
        assert PERSONA.name in preview and flat(PERSONA.scenario.problem)[:40] in preview

        await pilot.press("m", "enter")  # exam, this customer: asked for before the library is there
        await pilot.pause()
        assert app.screen is screen and screen.query_one("#start", Button).loading

        held_library.set()
        await settle(pilot)
        call = app.screen
        assert isinstance(call, ConversationScreen)
        assert call.persona.id == PERSONA.id and call.mode == "exam"
        assert not screen.query_one("#start", Button).loading


async def test_an_edited_persona_file_shows_on_the_next_start(tmp_path: Path, held_library: threading.Event) -> None:
    folder = tmp_path / "personas"
    folder.mkdir()
    source = PROJECT / "personas" / "en" / f"{PERSONA.id}.yaml"
    persona = folder / source.name
    persona.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    held_library.set()
    app = app_for(tmp_path, personas=folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert PERSONA.name in names(app.screen)[0]
    assert kept_catalogue(folder) is not None  # kept for the next start

    persona.write_text(source.read_text(encoding="utf-8").replace(PERSONA.name, "Renamed Customer"), encoding="utf-8")
    assert kept_catalogue(folder) is None  # the catalogue of the file as it was is never shown for it as it is
    held_library.clear()
    app = app_for(tmp_path, personas=folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert names(app.screen) == ["Loading the persona library…"]
        held_library.set()
        await settle(pilot)
        assert "Renamed Customer" in names(app.screen)[0]
    assert "Renamed Customer" in kept_catalogue(folder)[0].name  # type: ignore[index]


@pytest.mark.parametrize("start", ["first", "second"])
async def test_a_broken_persona_file_is_reported_at_every_start(tmp_path: Path, start: str) -> None:
    folder = tmp_path / "personas"
    folder.mkdir()
    shutil.copy(FIXTURES / "persona_minimal.yaml", folder / "good.yaml")
    (folder / "broken.yaml").write_text("id: [broken", encoding="utf-8")
    (problem,) = load_library(folder).problems
    if start == "second":
        load_library_kept(folder)  # the catalogue is kept: the list is drawn from it
        assert kept_catalogue(folder) is not None
    app = app_for(tmp_path, personas=folder)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await settle(pilot)
        assert len(names(app.screen)) == 1
        assert [str(n.message) for n in app._notifications] == [f"skipped: {problem}"]
