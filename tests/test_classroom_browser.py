"""`trainer serve --classroom` in headless Chromium: two trainees and a trainer sign in; each trainee sees only their own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.app_driver import GOOD
from tests.test_app_browser import CHROMIUM, _listening, free_port, stop, wait_for
from tests.transcripts import records
from trainer.classroom.accounts import open_accounts
from trainer.config.settings import home

PEOPLE = {"Ana Berzina": "trainee", "Janis Kalnins": "trainee", "Mara Ozola": "trainer"}


def started_by(folder: Path, name: str) -> list[dict]:
    found = []
    for path in folder.glob("*.jsonl"):
        recs = records(path)
        if recs and recs[0].get("proctored", {}).get("user") == name:
            found.append(recs)
    return found


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")
def test_two_trainees_and_a_trainer_in_browsers(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    accounts = open_accounts(home())
    codes = {name: accounts.add(name, role).code for name, role in PEOPLE.items()}  # type: ignore[arg-type]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "TRAINER_TRANSCRIPTS": str(tmp_path), "TRAINER_TRAINEE": "Someone Else"}
    server = subprocess.Popen([sys.executable, "-m", "trainer", "serve", "--classroom", "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: _listening(port), 20, "trainer serve to listen")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            seen: dict[str, list[str]] = {}
            for name in PEOPLE:
                context = browser.new_context(viewport={"width": 1200, "height": 800})
                page = context.new_page()
                page.goto(base)  # without a session: the sign-in page
                assert page.url == f"{base}/signin"
                page.fill("#name", name)
                page.fill("#secret", codes[name])
                page.click("button[type=submit]")
                page.wait_for_load_state()
                assert page.url == f"{base}/", page.content()[-1500:]
                if PEOPLE[name] == "trainee":
                    canvas = page.locator("canvas").first
                    canvas.wait_for(timeout=20_000)
                    time.sleep(3)  # the app process starts and draws the choose screen
                    box = canvas.bounding_box()
                    assert box is not None
                    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.5)
                    page.keyboard.press("Enter")  # no name asked: the first customer, in practice mode
                    wait_for(lambda n=name: [r for recs in started_by(tmp_path, n) for r in recs
                                             if r.get("role") == "customer"], 30, f"{name}'s call to start")
                    page.keyboard.type(GOOD[0])
                    page.keyboard.press("Enter")
                    wait_for(lambda n=name: [r for recs in started_by(tmp_path, n) for r in recs
                                             if r.get("role") == "trainee"], 30, f"{name}'s reply in the transcript")
                listed = context.request.get(f"{base}/transcripts")
                assert listed.status == 200
                seen[name] = sorted(row["sat_by"] for row in listed.json())
                if name == "Ana Berzina":
                    page.screenshot(path=str(tmp_path / "classroom.png"))
                context.close()
            browser.close()
        assert seen == {"Ana Berzina": ["Ana Berzina"], "Janis Kalnins": ["Janis Kalnins"],
                        "Mara Ozola": ["Ana Berzina", "Janis Kalnins"]}
        for name in ("Ana Berzina", "Janis Kalnins"):
            (recs,) = started_by(tmp_path, name)
            assert recs[0]["trainee"] == name  # not TRAINER_TRAINEE, not typed
    finally:
        stop(server)
