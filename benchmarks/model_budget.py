"""Benchmark: what a failing or slow model endpoint costs the trainee, with the default settings.

Run: .venv/bin/python benchmarks/model_budget.py

Plays a seven-line call (the opening and six replies) with the aggressive customer
through the test server (tests/openai_server.py) on 127.0.0.1: one that accepts the
connection and never answers, one that answers 500, one that answers 429 with a
Retry-After of 30 s; then compares the trainer's time to the first sentence on
screen with the server's own time to first token, against a server that takes a
second to start answering.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIX = ["Tell me more.", "When did it start?", "What have you tried?", "Which router is it?",
       "Is anyone else affected?", "Anything else?"]
PERSONA = "aggressive-broadband-outage"


def main() -> None:
    os.environ.setdefault("TRAINER_HOME", str(ROOT / ".pytest_cache" / "benchmark-home"))
    for name in ("TRAINER_TIMEOUT", "TRAINER_MAX_RETRIES", "TRAINER_FIRST_TOKEN_TIMEOUT", "TRAINER_LINE_TIMEOUT"):
        os.environ.pop(name, None)  # the defaults are what is measured
    from tests.openai_server import Behaviour, FakeOpenAI

    for label, behaviour, target in (
        ("accepts and never answers", Behaviour(stall=600), "≤ 45 s"),
        ("answers 500", Behaviour(status=500), "≤ 10 s"),
        ("answers 429, Retry-After 30 s", Behaviour(status=429, retry_after=30), ""),
    ):
        server = FakeOpenAI(default=behaviour)
        try:
            took, requests = seven_lines(server)
        finally:
            server.close()
        print(f"seven-line call, endpoint {label}: {took:.1f} s, {requests} requests (target {target or '–'})")
    overhead()


def seven_lines(server) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from tests.test_engine import LIBRARY, session_for
    from trainer.config.settings import resolve_llm
    from trainer.engine.actors import LLMActor, ScriptedActor
    from trainer.llm import LLM

    persona = LIBRARY.personas[PERSONA]
    actor = LLMActor(persona, LLM(resolve_llm(base_url=server.base_url, model="fake-model")), ScriptedActor(persona, 0))
    session = session_for(persona, actor)
    started = time.monotonic()
    session.start()
    for reply in SIX:
        for _ in session.reply(reply):
            pass
    return time.monotonic() - started, len(server.requests)


def overhead(runs: int = 10, stall: float = 1.0) -> None:
    """The trainer's time to the first sentence on screen against the raw stream's time to first token."""
    import openai

    from tests.openai_server import Behaviour, FakeOpenAI
    from tests.test_engine import LIBRARY, session_for
    from trainer.config.settings import resolve_llm
    from trainer.engine.actors import LLMActor, Piece, ScriptedActor
    from trainer.llm import LLM

    server = FakeOpenAI(default=Behaviour(reply="Nine days. Nine whole days, mate.", stall=stall))
    persona = LIBRARY.personas[PERSONA]
    raw, trainer = [], []
    try:
        client = openai.OpenAI(base_url=server.base_url, api_key="none")
        for _ in range(runs):
            started = time.monotonic()
            stream = client.chat.completions.create(
                model="fake-model", messages=[{"role": "user", "content": "Hello?"}], stream=True)
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    raw.append(time.monotonic() - started)
                    break
            stream.close()
        llm = LLM(resolve_llm(base_url=server.base_url, model="fake-model"))
        for n in range(runs):
            session = session_for(persona, LLMActor(persona, llm, ScriptedActor(persona, n)))
            session.start()
            _ = session.detectors  # loaded before the call, as the app does
            started = time.monotonic()
            for event in session.reply("Hello?"):
                if isinstance(event, Piece):
                    trainer.append(time.monotonic() - started)
                    break
    finally:
        server.close()
    server_p50, trainer_p50 = statistics.median(raw), statistics.median(trainer)
    print(f"time to first token: the server {server_p50 * 1000:.0f} ms, the trainer's first sentence on screen "
          f"{trainer_p50 * 1000:.0f} ms (p50 of {runs}): +{(trainer_p50 / server_p50 - 1) * 100:.1f}% (target < 5%)")


if __name__ == "__main__":
    main()
