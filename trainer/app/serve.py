"""`trainer serve`: the same app in web browsers through textual-serve, without the server's secrets."""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections.abc import Mapping

# textual-serve copies the server's whole environment into every browser session's process.
SECRET = re.compile(r"KEY|TOKEN|SECRET|PASSW|CREDENTIAL|AUTH|COOKIE|SESSION", re.IGNORECASE)


def public_environment(env: Mapping[str, str], keep: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment without anything that looks like a secret, plus the few values the app must have."""
    public = {name: value for name, value in env.items() if not SECRET.search(name)}
    public.update(keep or {})
    return public


def app_command_line(backend: str, model: str | None, base_url: str | None) -> str:
    args = [sys.executable, "-m", "trainer.app", "--backend", backend]
    if model:
        args += ["--model", model]
    if base_url:
        args += ["--base-url", base_url]
    return shlex.join(args)


def serve_app(host: str, port: int, backend: str = "scripted", model: str | None = None,
              base_url: str | None = None) -> None:
    """Run the web server until interrupted; raises UserError when the model backend is not configured."""
    keep: dict[str, str] = {}
    if backend == "openai":
        from trainer.settings import resolve_llm

        # Resolve here, once, so a misconfiguration fails now and the browser sessions get exactly these.
        resolved = resolve_llm(base_url=base_url, model=model)
        model, base_url = resolved.llm.model, resolved.llm.base_url
        if resolved.llm.api_key and resolved.key_source in ("TRAINER_API_KEY", "OPENAI_API_KEY"):
            keep["TRAINER_API_KEY"] = resolved.llm.api_key
    clean = public_environment(os.environ, keep)
    os.environ.clear()
    os.environ.update(clean)

    from textual_serve.server import Server

    Server(app_command_line(backend, model, base_url), host=host, port=port, title="trainer").serve()
