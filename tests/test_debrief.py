"""`trainer debrief`: what a trainee reads after a session, as Markdown or a self-contained HTML page."""

from __future__ import annotations

import re

from tests.conftest import FIXTURES

BAD = FIXTURES / "dialogs" / "en-bad.json"
MOOD = FIXTURES / "dialogs" / "en-mood.json"


def test_markdown_debrief_has_every_part(run_cli):
    result = run_cli("debrief", str(MOOD))
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "**Score 80.0 / 100: passed**" in text
    for heading in ("## Criteria", "## Strongest moments", "## Weakest moments", "## Customer mood", "## Practise next"):
        assert heading in text
    assert "| Keep a calm tone | 3 | 0 |" in text
    assert "80 → 88 → 70 → 38 (0 calm, 100 furious)" in text


def test_weakest_moment_is_quoted_with_a_better_phrasing(run_cli):
    text = run_cli("debrief", str(MOOD)).stdout
    weakest = text.split("## Weakest moments")[1].split("##")[0]
    assert '1. Turn 1: "Well, the system shows no fault. Did you restart the router?"' in weakest
    assert "Missed: Acknowledge the feeling in the first reply" in weakest
    # The missing move is added and the trainee's own sentences kept ("no fault" refuses nothing: signals.md).
    assert ('Better: "I can hear how frustrating this has been for you. Well, the system shows no fault. '
            'Did you restart the router?') in weakest


def test_strongest_moments_are_real_moves_not_just_staying_calm(run_cli):
    text = run_cli("debrief", str(BAD)).stdout
    assert "No turn met a criterion yet." in text.split("## Strongest moments")[1].split("##")[0]


def test_practise_next_names_personas_in_the_same_language(run_cli):
    text = run_cli("debrief", str(BAD)).stdout
    practise = text.split("## Practise next")[1]
    assert "**Never blame the customer** (0% met)" in practise
    assert "customer-at-fault-old-address" in practise
    assert "de-" not in practise


def test_html_debrief_is_self_contained_and_printable(run_cli, tmp_path):
    out = tmp_path / "debrief.html"
    result = run_cli("debrief", str(MOOD), "--format", "html", "-o", str(out))
    assert result.exit_code == 0
    assert result.stderr.strip() == f"wrote {out}"
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg") == 2  # criteria bars and the mood line
    assert 'aria-label="Customer mood from 80 to 38"' in html
    assert "@media print" in html
    assert not re.search(r"<script|<link|<img|src=|url\(|@import", html)


def test_html_debrief_shows_trainee_text_as_text(run_cli, tmp_path):
    path = tmp_path / "d.json"
    path.write_text(
        '{"language": "en", "turns": [{"role": "customer", "text": "hi"},'
        ' {"role": "trainee", "text": "<img src=x onerror=alert(1)> [b]NO[/b]"}]}',
        encoding="utf-8",
    )
    html = run_cli("debrief", str(path), "--format", "html").stdout
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; [b]NO[/b]" in html


def test_debrief_of_a_broken_file_is_one_line(run_cli, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")
    result = run_cli("debrief", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {path}:1:2: not valid JSON: Expecting property name enclosed in double quotes"
