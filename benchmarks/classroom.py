"""Benchmark: `trainer serve --classroom` with N people signing in at once, from sign-in to the app's first screen.

Run: .venv/bin/python benchmarks/classroom.py [--sessions 30] [--every 0.5]

Starts the real server on 127.0.0.1 with a temporary TRAINER_HOME (N trainees
added with `trainer classroom`'s store) and transcripts folder; then N clients,
all at once (or one every --every seconds), each: POST /signin with the one-time code, GET / (the app page),
open the websocket as textual-serve's page does (120x36), and wait until the
app has drawn its first screen (the header's "signed in: NAME" arrives). It
prints the median and 90th percentile of that time per session, and the
memory of the app processes once all are drawn: resident (RSS) and
proportional (PSS, shared pages split between processes) per session, and
the server's own. Target (issue 15): 30 sessions, median under 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from serve_memory import free_port, memory_mb  # noqa: E402

from tests.test_app_browser import descendants  # noqa: E402
from trainer.classroom.accounts import SQLiteAccounts  # noqa: E402


async def one_session(base: str, name: str, code: str, times: list[float], drawn: asyncio.Event,
                      delay: float = 0.0) -> None:
    """Appends the seconds from the sign-in request to the first screen; keeps the tab open until `drawn`."""
    await asyncio.sleep(delay)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:  # unsafe: an IP address
        started = time.perf_counter()
        signin = await http.post(f"{base}/signin", data={"name": name, "secret": code}, allow_redirects=False)
        if signin.status != 303:
            raise RuntimeError(f"{name}: sign-in answered {signin.status}")
        page = await http.get(f"{base}/")
        await page.read()
        async with http.ws_connect(f"{base.replace('http', 'ws')}/ws?width=120&height=36") as ws:
            await ws.send_json(["resize", {"width": 120, "height": 36}])
            seen = ""
            async for message in ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data.decode("utf-8", "replace")
                elif message.type != aiohttp.WSMsgType.TEXT:
                    raise RuntimeError(f"{name}: the socket closed before the first screen")
                if "signed in:" in seen:
                    times.append(time.perf_counter() - started)
                    break
            await drawn.wait()


async def run(base: str, people: dict[str, str], server_pid: int, every: float) -> None:
    times: list[float] = []
    drawn = asyncio.Event()
    tasks = [asyncio.create_task(one_session(base, name, code, times, drawn, i * every))
             for i, (name, code) in enumerate(people.items())]
    deadline = time.monotonic() + 600
    while len(times) < len(tasks) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        for task in tasks:
            if task.done() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
    apps = [pid for pid in descendants(server_pid) if Path(f"/proc/{pid}").exists()]
    memory = [memory_mb(pid) for pid in apps]
    server = memory_mb(server_pid)
    drawn.set()
    await asyncio.gather(*tasks)
    times.sort()
    n = len(times)
    when = "at once" if every == 0 else f"one every {every:g} s"
    print(f"{n} sessions signing in {when}: sign-in to first screen median {statistics.median(times):.2f} s, "
          f"p90 {times[min(n - 1, math.ceil(0.9 * n) - 1)]:.2f} s, slowest {times[-1]:.2f} s")
    print(f"memory of {len(memory)} app processes (and their shells): RSS {sum(r for r, _ in memory) / n:.0f} MB, "
          f"PSS {sum(p for _, p in memory) / n:.0f} MB per session, {sum(p for _, p in memory):.0f} MB PSS in all; "
          f"server RSS {server[0]:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--every", type=float, default=0.0,
                        help="seconds between one person's sign-in and the next (default: all at once)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home, transcripts = Path(tmp) / "home", Path(tmp) / "transcripts"
        accounts = SQLiteAccounts(home / "classroom.db")
        people = {f"Trainee {i:02d}": accounts.add(f"Trainee {i:02d}").code for i in range(args.sessions)}
        port = free_port()
        env = {**os.environ, "TRAINER_HOME": str(home), "TRAINER_TRANSCRIPTS": str(transcripts)}
        server = subprocess.Popen([sys.executable, "-m", "trainer", "serve", "--classroom", "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.1)
            asyncio.run(run(f"http://127.0.0.1:{port}", people, server.pid, args.every))
        finally:
            server.terminate()
            server.wait(20)


if __name__ == "__main__":
    main()
