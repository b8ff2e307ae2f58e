"""The classroom's account store: one-time codes, passwords, sessions and the sign-in throttle."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from trainer.classroom import accounts as accounts_module
from trainer.classroom.accounts import SQLiteAccounts, open_accounts
from trainer.classroom.identity import Identity
from trainer.classroom.throttle import Throttle
from trainer.cli import cli
from trainer.errors import UserError


@pytest.fixture
def store(tmp_path: Path) -> SQLiteAccounts:
    return SQLiteAccounts(tmp_path / "classroom.db")


def every_stored_text(path: Path) -> str:
    db = sqlite3.connect(path)
    rows = [r for t in ("people", "codes", "sessions") for r in db.execute(f"SELECT * FROM {t}")]  # noqa: S608
    return repr(rows)


def test_a_one_time_code_signs_in_once_and_is_stored_only_as_a_hash(store: SQLiteAccounts) -> None:
    issued = store.add("Ana Berzina")
    assert issued.role == "trainee" and len(issued.code) == 19  # ABCD-EFGH-JKLM-NPQR
    assert issued.code.replace("-", "") not in every_stored_text(store.path)
    assert store.sign_in("Ana Berzina", issued.code.lower()) == Identity("Ana Berzina", "trainee")
    assert store.sign_in("Ana Berzina", issued.code) is None  # spent


def test_a_code_works_only_for_its_own_name(store: SQLiteAccounts) -> None:
    ana = store.add("Ana Berzina")
    store.add("Janis Kalnins")
    assert store.sign_in("Janis Kalnins", ana.code) is None
    assert store.sign_in("Ana Berzina", ana.code) is not None  # the wrong name did not spend it


def test_wrong_and_expired_codes_are_refused(store: SQLiteAccounts) -> None:
    issued = store.add("Ana Berzina", hours=-1)
    assert store.sign_in("Ana Berzina", issued.code) is None
    assert store.sign_in("Ana Berzina", "AAAA-AAAA-AAAA-AAAA") is None
    assert store.sign_in("Nobody", "AAAA-AAAA-AAAA-AAAA") is None


def test_passwords_are_hashed_with_scrypt_and_checked(store: SQLiteAccounts, monkeypatch) -> None:
    monkeypatch.setattr(accounts_module, "SCRYPT_N", 2**10)  # the format carries its cost; tests need no 32 MiB
    store.add("Mara Ozola", "trainer")
    store.set_password("Mara Ozola", "correct horse battery")
    assert "correct horse" not in every_stored_text(store.path)
    assert "scrypt$1024$" in every_stored_text(store.path)
    assert store.sign_in("Mara Ozola", "correct horse battery") == Identity("Mara Ozola", "trainer")
    assert store.sign_in("Mara Ozola", "correct horse batterY") is None
    with pytest.raises(UserError, match="at least 10 characters"):
        store.set_password("Mara Ozola", "short")


def test_reset_ends_the_old_code_password_and_sessions(store: SQLiteAccounts, monkeypatch) -> None:
    monkeypatch.setattr(accounts_module, "SCRYPT_N", 2**10)
    old = store.add("Ana Berzina")
    who = store.sign_in("Ana Berzina", old.code)
    assert who is not None
    store.set_password("Ana Berzina", "a long enough password")
    token, _ = store.open_session(who)
    new = store.reset("Ana Berzina")
    assert store.session(token) is None
    assert store.sign_in("Ana Berzina", "a long enough password") is None
    assert store.sign_in("Ana Berzina", new.code) is not None


def test_sessions_expire_and_end(store: SQLiteAccounts) -> None:
    who = Identity("Ana Berzina", "trainee")
    store.add(who.name)
    token, expires = store.open_session(who)
    assert expires > time.time()
    assert store.session(token) == (who, expires)
    assert token not in every_stored_text(store.path)
    assert store.session(token + "x") is None and store.session("") is None
    store.close_session(token)
    assert store.session(token) is None
    stale, _ = store.open_session(who, hours=-0.01)
    assert store.session(stale) is None


def test_removing_a_person_ends_their_sessions(store: SQLiteAccounts) -> None:
    who = Identity("Ana Berzina", "trainee")
    store.add(who.name)
    token, _ = store.open_session(who)
    store.remove(who.name)
    assert store.session(token) is None
    with pytest.raises(UserError, match="not in the classroom"):
        store.remove(who.name)


def test_names_and_roles_are_checked(store: SQLiteAccounts) -> None:
    store.add("Ana Berzina")
    with pytest.raises(UserError, match="already in the classroom"):
        store.add("  Ana   Berzina ")
    with pytest.raises(UserError, match="role"):
        store.add("Someone", "admin")  # type: ignore[arg-type]
    with pytest.raises(UserError, match="control characters"):
        store.add("Ana\x1b[2J")


def test_open_accounts_takes_a_folder_or_a_sqlite_url_and_names_anything_else(tmp_path: Path) -> None:
    assert isinstance(open_accounts(tmp_path), SQLiteAccounts)
    assert (tmp_path / "classroom.db").exists()
    assert isinstance(open_accounts(f"sqlite:///{tmp_path / 'other.db'}"), SQLiteAccounts)
    with pytest.raises(UserError, match="only sqlite"):
        open_accounts("postgresql://db/trainer")


def test_the_throttle_slows_repeated_failures_and_stays_bounded() -> None:
    now = [0.0]
    throttle = Throttle(free=3, first=1, longest=8, keys=100, clock=lambda: now[0])
    for _ in range(3):
        throttle.fail("ip:1", "name:ana")
    assert throttle.wait("ip:1") == 0
    throttle.fail("ip:1")
    assert throttle.wait("ip:1") == 1
    for _ in range(10):
        throttle.fail("ip:1")
    assert throttle.wait("ip:1", "name:ana") == 8  # bounded
    now[0] += 8
    assert throttle.wait("ip:1") == 0
    throttle.succeed("ip:1")
    for i in range(1000):
        throttle.fail(f"ip:{i}")
    assert len(throttle) == 100


def test_the_classroom_command_adds_lists_resets_and_removes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRAINER_HOME", str(tmp_path))
    runner = CliRunner()
    added = runner.invoke(cli, ["classroom", "add", "Ana Berzina", "--url", "http://127.0.0.1:8080"])
    assert added.exit_code == 0, added.output
    assert "One-time sign-in code for Ana Berzina (trainee)" in added.output
    assert "http://127.0.0.1:8080/signin#code=" in added.output
    listed = runner.invoke(cli, ["classroom", "list"])
    assert "Ana Berzina" in listed.output and "trainee" in listed.output
    again = runner.invoke(cli, ["classroom", "add", "Ana Berzina"])
    assert again.exit_code == 1 and again.output.count("\n") == 1 and "already in the classroom" in again.output
    assert runner.invoke(cli, ["classroom", "reset", "Ana Berzina"]).exit_code == 0
    assert runner.invoke(cli, ["classroom", "remove", "Ana Berzina"]).exit_code == 0
    gone = runner.invoke(cli, ["classroom", "reset", "Ana Berzina"])
    assert gone.exit_code == 1 and "not in the classroom" in gone.output
