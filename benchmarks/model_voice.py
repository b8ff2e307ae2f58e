"""Benchmark: how many of a small model's customer lines stay in the customer's voice, per prompt change.

Run: .venv/bin/python benchmarks/model_voice.py [--first-token 60] [--line 120]

Starts llama.cpp's server with SmolLM2-135M (the `llama` extra) on 127.0.0.1 and
plays six calls (tests/model_calls.py; a trainee who listens, then does what the
guidance says) with the same sampling seed for each prompt
variant: the prompt as it was (one example line, max_tokens 160, no stop
sequences, the whole call), then each change of issue 14 added in turn. Every
variant goes through the same voice guard, so the figures say what each change
does to the share of lines the model keeps. The budget is wide by default
because prompt evaluation on two CPU cores takes seconds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.engine.actors import Prompting  # noqa: E402

BEFORE = Prompting(examples=0, turns=0, tokens_per_word=0, stop=())
NOW = Prompting()
VARIANTS = [
    ("prompt as before", BEFORE),
    ("+ the persona's lines as examples", replace(BEFORE, examples=NOW.examples)),
    ("+ max_tokens from the word cap", replace(BEFORE, examples=NOW.examples, tokens_per_word=NOW.tokens_per_word)),
    ("+ stop sequences", replace(NOW, turns=0)),
    ("+ the last six turns only (now)", NOW),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--first-token", type=float, default=60.0, help="first_token_timeout for the calls (s)")
    parser.add_argument("--line", type=float, default=120.0, help="line_timeout for the calls (s)")
    parser.add_argument("--show", action="store_true", help="print every customer line as shown, and who voiced it")
    parser.add_argument("--calls", type=int, default=6, help="calls per variant, one persona each (at most 6)")
    parser.add_argument("--seed", type=int, default=1, help="the model's sampling seed, the same for every variant")
    parser.add_argument("--now", action="store_true", help="only the prompt as it is now")
    args = parser.parse_args()
    from tests import llama_server
    from tests.model_calls import PERSONAS, play_calls
    from trainer.config.settings import resolve_llm

    if not llama_server.available():
        sys.exit("needs the llama extra: pip install -e '.[llama]'")
    os.environ["TRAINER_FIRST_TOKEN_TIMEOUT"] = str(args.first_token)
    os.environ["TRAINER_LINE_TIMEOUT"] = str(args.line)
    os.environ.setdefault("TRAINER_HOME", str(ROOT / ".pytest_cache" / "benchmark-home"))
    server = llama_server.LlamaServer()
    try:
        settings = resolve_llm(base_url=server.base_url, model="smollm2-135m")
        for name, prompting in VARIANTS[-1:] if args.now else VARIANTS:
            started = time.perf_counter()
            figures = play_calls(settings, replace(prompting, seed=args.seed), PERSONAS[: args.calls])
            print(f"{name}: {figures.summary()} ({time.perf_counter() - started:.0f} s)", flush=True)
            if args.show:
                print("\n".join(f"    {line}" for line in figures.said), flush=True)
    finally:
        server.close()


if __name__ == "__main__":
    main()
