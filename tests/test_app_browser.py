"""`trainer serve` end to end: the app in headless Chromium, one exchange, checked through the transcript it writes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.app_driver import GOOD, LIBRARY, RUBRIC, RUBRIC_PATH
from trainer.app.serve import public_environment
from trainer.engine.actors import ScriptedActor
from trainer.engine.session import CustomerTurn, new_session

CHROMIUM = Path("/usr/bin/chromium")
SECRET = "sk-test-not-for-the-browser"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def transcript_records(folder: Path) -> list[dict]:
    files = list(folder.glob("*.jsonl"))
    if not files:
        return []
    return [json.loads(line) for line in files[0].read_text(encoding="utf-8").splitlines() if line.endswith("}")]


def descendants(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            child = int(stat.parent.name)
            children += [child, *descendants(child)]
    return children


def test_secrets_are_not_passed_to_browser_sessions() -> None:
    env = {"PATH": "/usr/bin", "OPENAI_API_KEY": "x", "GITHUB_TOKEN": "y", "AWS_SECRET_ACCESS_KEY": "z",
           "DB_PASSWORD": "p", "TRAINER_TRANSCRIPTS": "/t"}
    assert public_environment(env) == {"PATH": "/usr/bin", "TRAINER_TRANSCRIPTS": "/t"}
    assert public_environment(env, {"TRAINER_API_KEY": "k"})["TRAINER_API_KEY"] == "k"


# Every browser session's process inherits the environment `trainer serve` leaves; report it instead of serving.
REPORT_ENVIRONMENT = (
    "import json, os, sys, textual_serve.server as s\n"
    "s.Server.serve = lambda self, **_: print(json.dumps(dict(os.environ)))\n"
    "from trainer.cli import cli\n"
    "cli(['serve', *sys.argv[1:]])\n"
)


def browser_session_environment(tmp_path: Path, *args: str, **extra: str) -> dict[str, str]:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "de_DE.UTF-8", "LC_ALL": "C.UTF-8",
           "TRAINER_HOME": str(tmp_path / "home"), "DATABASE_URL": "postgres://admin:hunter2@db/trainer",
           "PGPASSFILE": str(tmp_path / ".pgpass"), "AWS_SECRET_ACCESS_KEY": "aws-secret", **extra}
    done = subprocess.run([sys.executable, "-c", REPORT_ENVIRONMENT, *args], env=env, capture_output=True,
                          text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_browser_sessions_get_only_the_environment_they_need(tmp_path: Path) -> None:
    passed = browser_session_environment(tmp_path, OPENAI_API_KEY=SECRET, TRAINER_API_KEY="trainer-key")
    for name in ("DATABASE_URL", "PGPASSFILE", "AWS_SECRET_ACCESS_KEY", "OPENAI_API_KEY", "TRAINER_API_KEY"):
        assert name not in passed
    assert passed["PATH"] == os.environ["PATH"]
    assert (passed["LANG"], passed["LC_ALL"]) == ("de_DE.UTF-8", "C.UTF-8")
    assert passed["TRAINER_HOME"] == str(tmp_path / "home")


def test_browser_sessions_get_the_key_for_the_chosen_endpoint_only(tmp_path: Path) -> None:
    passed = browser_session_environment(tmp_path, "--backend", "openai", OPENAI_API_KEY=SECRET)
    assert passed["TRAINER_API_KEY"] == SECRET  # resolved for the OpenAI endpoint, passed under our own name
    assert "OPENAI_API_KEY" not in passed and "DATABASE_URL" not in passed

def test_serve_refuses_a_model_backend_that_is_not_configured(run_cli) -> None:
    result = run_cli("serve", "--backend", "openai")
    assert result.exit_code == 1 and "no model endpoint configured" in result.stderr


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")
def test_one_exchange_in_a_browser(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**os.environ, "TRAINER_TRANSCRIPTS": str(tmp_path), "OPENAI_API_KEY": SECRET}
    server = subprocess.Popen(
        [sys.executable, "-m", "trainer", "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: _listening(port), 20, "trainer serve to listen")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.goto(f"http://127.0.0.1:{port}")
            canvas = page.locator("canvas").first
            canvas.wait_for(timeout=20_000)
            time.sleep(3)  # the app process starts and draws the choose screen
            # Focus the terminal: a click on the scenario preview (right half), where a click changes nothing.
            box = canvas.bounding_box()
            page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.5)
            # Each browser session asks who is practising: the server is shared, so it remembers no one.
            page.keyboard.type("Ana Bērziņa")
            page.keyboard.press("Enter")
            time.sleep(0.5)
            # The first customer in the library, in practice mode.
            page.keyboard.press("Enter")
            records = wait_for(lambda: [r for r in transcript_records(tmp_path) if r.get("role") == "customer"],
                               30, "the customer's opening line in the transcript")
            header = transcript_records(tmp_path)[0]
            assert header["trainee"] == "Ana Bērziņa"
            persona = LIBRARY.get(header["persona_id"])
            page.keyboard.type(GOOD[0])
            page.keyboard.press("Enter")
            records = wait_for(
                lambda: [r for r in transcript_records(tmp_path) if r.get("role") == "customer"][1:],
                30, "the customer's reply in the transcript",
            )
            time.sleep(1)
            page.screenshot(path=str(tmp_path / "browser.png"))
            browser.close()
        # The same call played by the core alone says the same thing.
        actor = ScriptedActor(persona, header["seed"])  # the seed the browser session drew
        core = new_session(persona, LIBRARY.paths[persona.id], RUBRIC, RUBRIC_PATH, actor)
        opening = core.start()
        reply = [e for e in core.reply(GOOD[0]) if isinstance(e, CustomerTurn)][0]
        trainee = [r for r in transcript_records(tmp_path) if r.get("role") == "trainee"]
        assert trainee[0]["text"] == GOOD[0]
        customer = [r for r in transcript_records(tmp_path) if r.get("role") == "customer"]
        assert [c["text"] for c in customer] == [opening.text, reply.text]
        assert records[0]["text"] == reply.text
        assert not (Path(os.environ["TRAINER_HOME"]) / "trainee.toml").exists()  # the name stayed with its session
        # No browser session's process was handed the server's secrets.
        for pid in descendants(server.pid):
            try:
                environ = Path(f"/proc/{pid}/environ").read_bytes()
            except OSError:
                continue
            assert SECRET.encode() not in environ
    finally:
        stop(server)


def stop(server: subprocess.Popen) -> None:
    """End a server the test started, killing it if it does not stop within ten seconds."""
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
