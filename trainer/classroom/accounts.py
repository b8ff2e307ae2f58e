"""The classroom's accounts in SQLite (`classroom.db` in TRAINER_HOME): people, roles, codes, passwords, sessions.

Nothing secret is stored in clear: a one-time code and a session token are random
(80 and 256 bits) and kept as their SHA-256, a password as its scrypt hash (memory-hard,
salted). `Accounts` is the interface the web server uses; `open_accounts` picks the
store from a location, so another database is one more branch there, not a rewrite.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from trainer.classroom.identity import ROLES, Identity, Role
from trainer.config.trainee import clean_name
from trainer.errors import UserError

DATABASE = "classroom.db"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud or copied from paper
CODE_LENGTH = 16  # 80 bits
CODE_HOURS = 72.0
SESSION_HOURS = 8.0
SHORTEST_PASSWORD = 10
# scrypt: 2**15 * 8 * 128 bytes = 32 MiB and about 0.1 s per guess on our machines.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS people (
    name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN ('trainer', 'trainee')),
    password TEXT, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS codes (
    hash TEXT PRIMARY KEY, name TEXT NOT NULL REFERENCES people(name) ON DELETE CASCADE,
    expires REAL NOT NULL, used REAL);
CREATE TABLE IF NOT EXISTS sessions (
    hash TEXT PRIMARY KEY, name TEXT NOT NULL REFERENCES people(name) ON DELETE CASCADE,
    expires REAL NOT NULL, created REAL NOT NULL);
"""


@dataclass(frozen=True)
class Person:
    name: str
    role: Role
    has_password: bool
    pending_code: bool  # an unused, unexpired one-time code is waiting
    sessions: int  # signed in now, in this many browsers


@dataclass(frozen=True)
class Issued:
    """A one-time code just made: shown once, then only its hash remains."""

    name: str
    role: Role
    code: str
    expires: float


class Accounts(Protocol):
    """What the sign-in server and `trainer classroom` need of an account store."""

    def add(self, name: str, role: Role = "trainee", hours: float = CODE_HOURS) -> Issued: ...
    def reset(self, name: str, hours: float = CODE_HOURS) -> Issued: ...
    def remove(self, name: str) -> None: ...
    def people(self) -> list[Person]: ...
    def sign_in(self, name: str, secret: str) -> Identity | None: ...
    def set_password(self, name: str, password: str) -> None: ...
    def open_session(self, identity: Identity, hours: float = SESSION_HOURS) -> tuple[str, float]: ...
    def session(self, token: str) -> tuple[Identity, float] | None: ...
    def close_session(self, token: str) -> None: ...


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def normalise_code(text: str) -> str:
    """What the person typed, as the code was made: upper case, without dashes or spaces."""
    return "".join(c for c in text.upper() if c.isalnum())


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def shown_code(code: str) -> str:
    """"ABCDEFGHJKLMNPQR" as "ABCD-EFGH-JKLM-NPQR": easier to read and type."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                         maxmem=64 * 1024 * 1024, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(key)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             maxmem=64 * 1024 * 1024, dklen=len(expected))
    except ValueError:
        return False
    return hmac.compare_digest(got, expected)


@cache
def _decoy() -> str:
    """Checked for a name without a password, so a wrong guess takes as long whether or not the name has one."""
    return hash_password(secrets.token_urlsafe(16))


class SQLiteAccounts:
    """Accounts in one SQLite file; every call opens its own connection, so threads and processes can share it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._db(schema=True) as db:
            db.executescript(SCHEMA)
        try:
            path.chmod(0o600)  # hashes only, but nobody else's business
        except OSError:
            pass

    @contextmanager
    def _db(self, schema: bool = False) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            if schema:
                db.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
                yield db
                return
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise UserError(f"{self.path}: the classroom database cannot be used ({exc})") from None
        finally:
            db.close()

    def add(self, name: str, role: Role = "trainee", hours: float = CODE_HOURS) -> Issued:
        """A new person with a one-time code; raises UserError for a taken name or an unknown role."""
        name = clean_name(name)
        if role not in ROLES:
            raise UserError(f"role: expected 'trainer' or 'trainee'; got {role!r}")
        with self._db() as db:
            if db.execute("SELECT 1 FROM people WHERE name = ?", (name,)).fetchone():
                raise UserError(f"{name!r} is already in the classroom (`trainer classroom reset` gives a new code)")
            db.execute("INSERT INTO people (name, role, created) VALUES (?, ?, ?)", (name, role, time.time()))
            return self._issue(db, name, role, hours)

    def reset(self, name: str, hours: float = CODE_HOURS) -> Issued:
        """A new one-time code; the old code, the password and every session of theirs stop working."""
        with self._db() as db:
            role = self._role(db, name)
            db.execute("UPDATE people SET password = NULL WHERE name = ?", (name,))
            db.execute("DELETE FROM codes WHERE name = ?", (name,))
            db.execute("DELETE FROM sessions WHERE name = ?", (name,))
            return self._issue(db, name, role, hours)

    def remove(self, name: str) -> None:
        with self._db() as db:
            self._role(db, name)
            db.execute("DELETE FROM people WHERE name = ?", (name,))

    def people(self) -> list[Person]:
        now = time.time()
        with self._db() as db:
            rows = db.execute(
                "SELECT name, role, password IS NOT NULL,"
                " (SELECT COUNT(*) FROM codes c WHERE c.name = p.name AND c.used IS NULL AND c.expires > ?),"
                " (SELECT COUNT(*) FROM sessions s WHERE s.name = p.name AND s.expires > ?)"
                " FROM people p ORDER BY role, name", (now, now)).fetchall()
        return [Person(name, role, bool(pw), bool(codes), sessions) for name, role, pw, codes, sessions in rows]

    def sign_in(self, name: str, secret: str) -> Identity | None:
        """The person, when `secret` is their unused one-time code (now spent) or their password; else None."""
        name = " ".join(name.split())
        now = time.time()
        code = normalise_code(secret)
        with self._db() as db:
            row = db.execute("SELECT role, password FROM people WHERE name = ?", (name,)).fetchone()
            if row is not None and code:
                spent = db.execute("UPDATE codes SET used = ? WHERE hash = ? AND name = ? AND used IS NULL"
                                   " AND expires > ?", (now, digest(code), name, now)).rowcount
                if spent:
                    return Identity(name, row[0])
        stored = row[1] if row is not None and row[1] else _decoy()
        if password_matches(secret, stored) and row is not None and row[1]:
            return Identity(name, row[0])
        return None

    def set_password(self, name: str, password: str) -> None:
        if len(password) < SHORTEST_PASSWORD:
            raise UserError(f"a password of at least {SHORTEST_PASSWORD} characters, please")
        hashed = hash_password(password)
        with self._db() as db:
            self._role(db, name)
            db.execute("UPDATE people SET password = ? WHERE name = ?", (hashed, name))

    def open_session(self, identity: Identity, hours: float = SESSION_HOURS) -> tuple[str, float]:
        """A new session token (only its hash is kept) and when it expires."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        expires = now + hours * 3600
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE expires <= ?", (now,))
            db.execute("INSERT INTO sessions (hash, name, expires, created) VALUES (?, ?, ?, ?)",
                       (digest(token), identity.name, expires, now))
        return token, expires

    def session(self, token: str) -> tuple[Identity, float] | None:
        """Who holds this session token and until when; None for an unknown, expired or ended one."""
        if not token or len(token) > 100:
            return None
        with self._db() as db:
            row = db.execute("SELECT p.name, p.role, s.expires FROM sessions s JOIN people p ON p.name = s.name"
                             " WHERE s.hash = ? AND s.expires > ?", (digest(token), time.time())).fetchone()
        return (Identity(row[0], row[1]), row[2]) if row else None

    def close_session(self, token: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE hash = ?", (digest(token),))

    def _role(self, db: sqlite3.Connection, name: str) -> Role:
        row = db.execute("SELECT role FROM people WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise UserError(f"{name!r} is not in the classroom (`trainer classroom list` shows who is)")
        return row[0]  # type: ignore[no-any-return]

    def _issue(self, db: sqlite3.Connection, name: str, role: Role, hours: float) -> Issued:
        code = new_code()
        expires = time.time() + hours * 3600
        db.execute("INSERT INTO codes (hash, name, expires) VALUES (?, ?, ?)", (digest(code), name, expires))
        return Issued(name, role, shown_code(code), expires)


def open_accounts(location: str | Path) -> Accounts:
    """The account store at `location`: a folder (TRAINER_HOME) or a `sqlite:///path` URL.

    Another database (PostgreSQL for several servers) would be one more scheme here,
    implementing `Accounts`; nothing that uses the store changes.
    """
    text = str(location)
    if text.startswith("sqlite:///"):
        return SQLiteAccounts(Path(text.removeprefix("sqlite:///")))
    if "://" in text:
        raise UserError(f"TRAINER_CLASSROOM_DB: only sqlite:///PATH is supported here; got {text.split('://')[0]}://…")
    path = Path(text)
    return SQLiteAccounts(path if path.suffix == ".db" else path / DATABASE)
