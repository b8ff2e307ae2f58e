"""The app as a classroom tab runs it: the signed-in name, never a typed one; a trainee's History is their own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.app_driver import PERSONA, RUDE, app_for, choose, settle, type_reply
from tests.transcripts import good_replies
from trainer.app.past_sessions import list_sessions
from trainer.app.screens.conversation import ConversationScreen
from trainer.app.screens.debrief import DebriefScreen
from trainer.app.screens.history import HistoryScreen
from trainer.app.screens.trainee import TraineeScreen
from trainer.classroom.identity import Identity

pytestmark = pytest.mark.anyio

ANA = Identity("Ana Berzina", "trainee")
JANIS = Identity("Janis Kalnins", "trainee")
MARA = Identity("Mara Ozola", "trainer")


def classroom_app(folder: Path, who: Identity):  # type: ignore[no-untyped-def]
    return app_for(folder, trainee=who.name, classroom=who, remember_trainee=False)


async def take_call(folder: Path, who: Identity, mode: str = "practice", replies: list[str] | None = None) -> Path:
    """One call in the app, signed in as `who`: `replies` (rude ones by default), then the call is ended."""
    before = set(folder.glob("*.jsonl"))
    app = classroom_app(folder, who)
    async with app.run_test(size=(100, 40)) as pilot:
        await choose(pilot, "aggressive")
        if mode == "exam":
            await pilot.press("m")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConversationScreen)
        for reply in replies or [RUDE] * 10:
            if app.screen.query_one("#reply").read_only:  # type: ignore[attr-defined]
                break
            await type_reply(pilot, reply)
        if not app.screen.query_one("#reply").read_only:  # type: ignore[attr-defined]
            await pilot.press("ctrl+e")
            await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
    (path,) = set(folder.glob("*.jsonl")) - before
    return path


def header(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8").splitlines()[0])


async def test_the_name_is_the_signed_in_one_and_cannot_be_changed(tmp_path: Path) -> None:
    app = classroom_app(tmp_path, ANA)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await settle(pilot)
        assert app.screen.sub_title == "signed in: Ana Berzina (trainee)"
        await pilot.press("t")
        await settle(pilot)
        assert not isinstance(app.screen, TraineeScreen)
        assert any("Signed in as Ana Berzina" in str(n.message) for n in app._notifications)
    assert app.settings.trainee == "Ana Berzina"


async def test_a_trainee_sees_only_their_own_sessions_and_a_trainer_sees_all(tmp_path: Path) -> None:
    ana = await take_call(tmp_path, ANA)
    janis = await take_call(tmp_path, JANIS)
    assert header(ana)["proctored"] == {"user": "Ana Berzina", "role": "trainee"}
    assert header(ana)["trainee"] == "Ana Berzina"
    (tmp_path / "20261204-000000-broken-xxxxxx.jsonl").write_text("not json\n", encoding="utf-8")
    assert [s.path for s in list_sessions(tmp_path, ANA)] == [ana]
    assert [s.path for s in list_sessions(tmp_path, JANIS)] == [janis]
    assert len(list_sessions(tmp_path, MARA)) == 3  # the cohort, the broken file included
    app = classroom_app(tmp_path, ANA)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert list(app.screen.sessions) == [str(ana)]


async def test_a_classroom_exam_is_sealed_and_verify_and_certify_name_who_sat_it(tmp_path: Path, run_cli) -> None:
    assert run_cli("keys", "init").exit_code == 0
    exam = await take_call(tmp_path, ANA, "exam", list(good_replies(PERSONA.id)))
    assert header(exam)["proctored"] == {"user": "Ana Berzina", "role": "trainee"}
    assert json.loads(exam.read_text(encoding="utf-8").splitlines()[1])["type"] == "seal"  # the header is sealed
    verified = run_cli("verify", str(exam))
    assert verified.exit_code == 0, verified.stdout
    assert "valid: exam, signed by ed25519:" in verified.stdout
    assert "sat by Ana Berzina (signed in to the classroom as trainee)" in verified.stdout
    certified = run_cli("certify", "--trainee", "Ana Berzina", str(tmp_path), "-o", str(tmp_path / "c.html"))
    assert "✓ An aggressive or angry customer" in certified.stdout, certified.stdout
    assert "sat by Ana Berzina (signed in to the classroom as trainee)" in certified.stdout


def test_serve_refuses_a_fixed_trainee_in_a_classroom(run_cli) -> None:
    result = run_cli("serve", "--classroom", "--trainee", "Janis Kalnins")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "signed in" in result.stderr
