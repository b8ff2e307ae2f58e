"""Benchmark: what a classroom costs `trainer serve`: 30 browser sessions, each in a call, and one more.

Run: .venv/bin/python benchmarks/serve_memory.py [--sessions 30]

textual-serve starts one app process per browser tab, with the command line
`trainer serve` gives it (trainer.app.serve.app_command_line). This starts that
same command, once per session, each in its own 120x36 pseudo-terminal (the
terminal driver instead of the web one: the same app, imports and data), drives
each into a call (the first customer, the opening line, one reply answered),
and then sums the memory of all of them: resident (RSS, counting the pages
they share once per process) and proportional (PSS, each shared page split
between the processes sharing it: what they really take together). One more
session is then started the same way and measured on its own. The server
process itself (`trainer serve`, idle) is measured beside them. Target: 30
sessions in a call within 4 GB in all.
"""

from __future__ import annotations

import argparse
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from app_speed import REPLY, Expected, Terminal  # noqa: E402

from trainer.app.serve import app_command_line  # noqa: E402

TARGET_MB = 4096


def memory_mb(pid: int) -> tuple[float, float]:
    """RSS and PSS of a process, in MB."""
    rss = pss = 0.0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Rss:"):
            rss = int(line.split()[1]) / 1024
        elif line.startswith("Pss:"):
            pss = int(line.split()[1]) / 1024
    return rss, pss


def in_a_call(expected: Expected, n: int, folder: Path) -> Terminal:
    env = {**os.environ, "TRAINER_TRANSCRIPTS": str(folder / str(n)), "TERM": "xterm-256color"}
    terminal = Terminal(shlex.split(app_command_line("scripted", None, None, f"trainee {n}")), env)
    terminal.wait_for(expected.name, timeout=120)
    time.sleep(0.3)
    terminal.send("\r")
    terminal.wait_for(*expected.openings, timeout=120)
    time.sleep(0.3)
    terminal.send(REPLY)
    terminal.wait_for(REPLY[-20:], timeout=60)
    terminal.send("\r")
    time.sleep(1.0)  # the customer's answer, scored and drawn
    return terminal


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    args = parser.parse_args()
    expected = Expected()
    terminals: list[Terminal] = []
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen([sys.executable, "-m", "trainer", "serve", "--port", str(free_port())],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            started = time.perf_counter()
            for n in range(args.sessions):
                terminals.append(in_a_call(expected, n, Path(tmp)))
            filled = time.perf_counter() - started
            sessions = [memory_mb(t.process.pid) for t in terminals]
            server_rss, server_pss = memory_mb(server.pid)
            one_more = in_a_call(expected, args.sessions, Path(tmp))
            terminals.append(one_more)
            after = [memory_mb(t.process.pid) for t in terminals]
            extra_rss, extra_pss = after[-1]
            grew = sum(p for _, p in after) - sum(p for _, p in sessions)
        finally:
            for terminal in terminals:
                terminal.close()
            server.terminate()
            server.wait(10)
    total_rss = sum(r for r, _ in sessions) + server_rss
    total_pss = sum(p for _, p in sessions) + server_pss
    print(f"{args.sessions} app sessions, each in a call, started one after another in {filled:.0f} s "
          f"on {os.cpu_count()} CPUs, plus the idle `trainer serve` process:")
    print(f"  in all: {total_pss:,.0f} MB proportional (PSS), {total_rss:,.0f} MB resident (RSS, shared pages "
          f"counted in every process); target <= {TARGET_MB:,} MB: {'met' if total_pss <= TARGET_MB else 'not met'}")
    print(f"  each session: {min(r for r, _ in sessions):.0f}-{max(r for r, _ in sessions):.0f} MB RSS, "
          f"{min(p for _, p in sessions):.0f}-{max(p for _, p in sessions):.0f} MB PSS; "
          f"the server: {server_rss:.0f} MB RSS")
    print(f"  one more session: {extra_rss:.0f} MB RSS, {extra_pss:.0f} MB PSS; all sessions' PSS grew by {grew:.0f} MB")


if __name__ == "__main__":
    main()
