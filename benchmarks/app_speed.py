"""Benchmark: the app's start-up and reply latency, measured the way a trainee meets them, in a real terminal.

Run: .venv/bin/python benchmarks/app_speed.py [--runs 5]

Each run starts `trainer` (the installed command, no arguments) in a
pseudo-terminal of 120x36 and reads what it draws:

  start-up   from starting the process to the first usable screen: the
             persona list filled in (the first customer's name drawn);
  open       from Enter on that customer to the opening line on screen;
  reply      from Enter on a typed reply to the customer's scripted answer
             on screen (detectors, director, actor and scorer included).

Transcripts go to a temporary folder; the scripted engine only. The reference,
measured in the same run and the same harness, is a bare Textual app (a
header, an option list of 30 names, a footer) to its first screen; the target is
the trainer's start-up within 1.5 times that.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.config import locations  # noqa: E402
from trainer.content.library import load_library  # noqa: E402
from trainer.content.loader import load_rubric  # noqa: E402
from trainer.engine.actors import ScriptedActor  # noqa: E402
from trainer.engine.session import CustomerTurn, new_session  # noqa: E402

REPLY = "I'm so sorry about this. When did it start?"
TARGET_RATIO = 1.5
BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, OptionList

class Bare(App):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield OptionList(*[f"Customer number {n}" for n in range(30)])
        yield Footer()

Bare().run()
"""
ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|.)")
COLUMNS, ROWS = 120, 36


class Terminal:
    """`trainer` in a pseudo-terminal; `wait_for` reads what it draws until some text appears."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env,
                                        start_new_session=True)
        os.close(slave)
        self.screen = ""

    def wait_for(self, *texts: str, timeout: float = 30.0) -> float:
        """Seconds (perf_counter) at which one of `texts` was first drawn."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:
                    break
                self.screen += ESCAPES.sub("", chunk)
                if any(text in self.screen for text in texts):
                    return time.perf_counter()
        raise TimeoutError(f"{texts!r} never appeared; last output: {self.screen[-300:]!r}")

    def send(self, keys: str) -> float:
        self.screen = ""
        sent = time.perf_counter()
        os.write(self.master, keys.encode("utf-8"))
        return sent

    def close(self) -> None:
        self.send("\x11")  # Ctrl+Q
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self.master)


class Expected:
    """The first customer of the list, and what the scripted engine has them say: the screen must show it."""

    def __init__(self) -> None:
        self.library = load_library(locations.personas_dir())
        self.first = sorted(self.library.personas.values(),
                            key=lambda p: (p.language.value != "en", p.language.value, p.type.value, p.id))[0]
        self.rubric_path = locations.default_rubric()
        self.rubric = load_rubric(self.rubric_path)
        self.name = self.first.name
        self.openings = [ScriptedActor(self.first, seed).opening_line()[:30] for seed in range(40)]

    def reply(self, folder: Path) -> str:
        """The customer's answer to REPLY in the call the app is playing: every call draws a fresh seed, and the
        transcript's header says which."""
        (path,) = folder.glob("*.jsonl")
        seed = int(json.loads(path.read_text(encoding="utf-8").splitlines()[0])["seed"])
        session = new_session(self.first, self.library.paths[self.first.id], self.rubric, self.rubric_path,
                              ScriptedActor(self.first, seed), seed=seed)
        session.start()
        return [e for e in session.reply(REPLY) if isinstance(e, CustomerTurn)][0].text


def run_once(expected: Expected, folder: Path) -> tuple[float, float, float]:
    env = {**os.environ, "TRAINER_TRANSCRIPTS": str(folder), "TERM": "xterm-256color",
           "TRAINER_TRAINEE": "benchmark"}  # a known trainee: the app does not stop to ask for a name
    trainer = str(Path(sys.executable).with_name("trainer"))
    started = time.perf_counter()
    terminal = Terminal([trainer], env)
    try:
        usable = terminal.wait_for(expected.name) - started
        time.sleep(0.3)  # let the first screen settle, as a trainee would take a moment
        sent = terminal.send("\r")
        opened = terminal.wait_for(*expected.openings) - sent
        reply = expected.reply(folder)
        time.sleep(0.5)
        terminal.send(REPLY)
        terminal.wait_for(REPLY[-20:])
        time.sleep(0.3)
        sent = terminal.send("\r")
        answered = terminal.wait_for(reply[:30]) - sent
    finally:
        terminal.close()
    return usable, opened, answered


def bare_once() -> float:
    """A bare Textual app, in the same harness, to its first screen."""
    started = time.perf_counter()
    terminal = Terminal([sys.executable, "-c", BARE_APP], {**os.environ, "TERM": "xterm-256color"})
    try:
        return terminal.wait_for("Customer number 0") - started
    finally:
        terminal.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    expected = Expected()
    runs = []
    bare = []
    with tempfile.TemporaryDirectory() as folder:
        for n in range(args.runs):  # alternated, so that both see the same machine
            bare.append(bare_once())
            runs.append(run_once(expected, Path(folder) / str(n)))
    print(f"trainer app, {args.runs} runs in a {COLUMNS}x{ROWS} pseudo-terminal, {os.cpu_count()} CPUs; "
          f"median (min-max), seconds")
    for label, values in zip(
        ("start-up to first usable screen", "Enter to the opening line", "Enter to the customer's reply"),
        zip(*runs),
    ):
        print(f"  {label:34} {statistics.median(values):6.3f}  ({min(values):.3f}-{max(values):.3f})")
    usable, reference = statistics.median(r[0] for r in runs), statistics.median(bare)
    print(f"  reference, same run: a bare Textual app (header, 30 options, footer) to its first screen "
          f"{reference:.3f}  ({min(bare):.3f}-{max(bare):.3f})")
    print(f"  start-up / bare app: {usable / reference:.2f}; target <= {TARGET_RATIO}: "
          f"{'met' if usable <= TARGET_RATIO * reference else 'not met'}")


if __name__ == "__main__":
    main()
