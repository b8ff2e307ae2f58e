"""`trainer serve`: the same app in web browsers through textual-serve, without the server's secrets."""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.classroom.identity import Identity

# textual-serve copies the server's whole environment into every browser session's process, so only what the app
# needs goes on: a blocklist of names missed DATABASE_URL with its password, PGPASSFILE and whatever comes next.
PASSED = frozenset({
    "PATH", "HOME", "USER", "LOGNAME", "LANG", "TERM", "COLORTERM", "TZ", "TMPDIR",
    "TRAINER_HOME", "TRAINER_PERSONAS", "TRAINER_RUBRICS", "TRAINER_TRANSCRIPTS", "TRAINER_TRAINEE", "TRAINER_CACHE",
    "TRAINER_BASE_URL", "TRAINER_MODEL", "TRAINER_TIMEOUT", "TRAINER_MAX_RETRIES",
    "TRAINER_FIRST_TOKEN_TIMEOUT", "TRAINER_LINE_TIMEOUT",
    "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONUTF8", "PYTHONIOENCODING",
})  # never TRAINER_API_KEY from the environment: the server passes the one key it resolved itself


def public_environment(env: Mapping[str, str], keep: Mapping[str, str] | None = None) -> dict[str, str]:
    """The few variables the app needs (PASSED, and the LC_* locale), plus `keep`: the values the server chose."""
    public = {name: value for name, value in env.items() if name in PASSED or name.startswith("LC_")}
    public.update(keep or {})
    return public


def app_command_line(backend: str, model: str | None, base_url: str | None, trainee: str | None = None,
                     identity: Identity | None = None) -> str:
    """Each browser session's app: many trainees share this server, so none is remembered (`--shared`).

    In a classroom, `identity` is who signed in, from the server's session: the app takes the name from here
    and from nowhere else (the command is the server's, run by a shell with each argument quoted).
    """
    args = [sys.executable, "-m", "trainer.app", "--shared", "--backend", backend]
    if identity is not None:
        args += ["--classroom-user", identity.name, "--classroom-role", identity.role]
        trainee = None
    if model:
        args += ["--model", model]
    if base_url:
        args += ["--base-url", base_url]
    if trainee:
        args += ["--trainee", trainee]
    return shlex.join(args)


def serve_app(host: str, port: int, backend: str = "scripted", model: str | None = None,
              base_url: str | None = None, trainee: str | None = None, classroom: bool = False,
              public_url: str | None = None, secure_cookie: bool | None = None, session_hours: float = 8.0) -> None:
    """Run the web server until interrupted; raises UserError when the model backend is not configured."""
    keep: dict[str, str] = {}
    if backend == "openai":
        from trainer.config.settings import resolve_llm

        # Resolve here, once, so a misconfiguration fails now and the browser sessions get exactly these.
        resolved = resolve_llm(base_url=base_url, model=model)
        model, base_url = resolved.llm.model, resolved.llm.base_url
        if resolved.llm.api_key and resolved.key_source in ("TRAINER_API_KEY", "OPENAI_API_KEY"):
            keep["TRAINER_API_KEY"] = resolved.llm.api_key
    clean = public_environment(os.environ, keep)
    if classroom:
        clean.pop("TRAINER_TRAINEE", None)  # every tab is the person who signed in
        from trainer.classroom.accounts import open_accounts
        from trainer.config import locations
        from trainer.config.settings import home

        accounts = open_accounts(os.environ.get("TRAINER_CLASSROOM_DB") or home())
        transcripts = locations.transcripts_dir()
    os.environ.clear()
    os.environ.update(clean)

    if not classroom:
        from textual_serve.server import Server

        Server(app_command_line(backend, model, base_url, trainee), host=host, port=port, title="trainer",
               public_url=public_url).serve()
        return
    from trainer.app.classroom_server import ClassroomServer

    ClassroomServer(lambda who: app_command_line(backend, model, base_url, identity=who), accounts, transcripts,
                    host=host, port=port, public_url=public_url, secure_cookie=secure_cookie,
                    session_hours=session_hours).serve()
