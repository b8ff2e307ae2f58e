"""Re-scoring and cohort reports: `trainer rescore` and `trainer report` over a folder of real transcripts."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, PROJECT
from tests.transcripts import ANA, MILD, POOR, cut_off, good_replies, lines, play_call, records, write_lines
from trainer.cli.output import PROGRESS_FROM

AGGRESSIVE = "aggressive-broadband-outage"
SILENT = "silent-coffee-subscription"


@pytest.fixture
def cohort(run_cli, tmp_path) -> Path:
    """Ana fails the aggressive customer, then handles it well; Bo calms the silent one and leaves a call unfinished."""
    folder = tmp_path / "transcripts"
    play_call(run_cli, folder, AGGRESSIVE, POOR)
    play_call(run_cli, folder, AGGRESSIVE, good_replies(AGGRESSIVE))
    play_call(run_cli, folder, SILENT, good_replies(SILENT), trainee="Bo")
    unfinished = play_call(run_cli, folder, SILENT, MILD, trainee="Bo")
    write_lines(unfinished, lines(unfinished)[:3])
    return folder


def row(markdown: str, first_cell: str) -> list[str]:
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row for {first_cell!r} in:\n{markdown}")


# ---- report ------------------------------------------------------------------------------------------------


def test_report_per_trainee_shows_sessions_passes_trend_and_weakest(run_cli, cohort):
    result = run_cli("report", str(cohort))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("# Cohort report: 4 sessions, 2 trainees")
    assert "1 unfinished session is listed but not counted in the rates." in out
    ana = row(out, ANA)
    assert ana[1:3] == ["2", "1"]
    assert ana[4].startswith("↑ +")  # the second call went better than the first
    assert re.search(r"\(\d+%\)", ana[5])  # weakest criteria, with their met rates
    bo = row(out, "Bo")
    assert bo[1:3] == ["2", "1"] and bo[4] == "–"  # one finished session: no trend yet


def test_report_per_criterion_has_met_rate_and_trend(run_cli, cohort):
    out = run_cli("report", str(cohort)).stdout
    criteria = out.split("## Criteria (all trainees)")[1].split("## Personas")[0]
    calm = row(criteria, "Keep a calm tone")
    assert calm[1] == "3" and calm[4].endswith("%")
    assert all(c in ("–", "→ 0") or re.match(r"[↑↓] [+-]\d+", c) for c in [row(criteria, t)[5] for t in (
        "Keep a calm tone", "Acknowledge the feeling in the first reply")])


def test_report_per_persona_has_pass_rate_and_mood_at_the_end(run_cli, cohort):
    out = run_cli("report", str(cohort)).stdout
    personas = out.split("## Personas")[1]
    aggressive = row(personas, AGGRESSIVE)
    assert aggressive[1:3] == ["2", "50%"]
    ends = [records(p)[-1]["mood"] for p in sorted(cohort.glob(f"*{AGGRESSIVE}*.jsonl"))]
    assert aggressive[3] == f"{sum(ends) / 2:.0f}"
    assert row(personas, SILENT)[1:3] == ["1", "100%"]


def test_report_csv_has_a_row_per_trainee_and_criterion(run_cli, cohort, tmp_path):
    out = tmp_path / "cohort.csv"
    result = run_cli("report", str(cohort), "--csv", str(out))
    assert result.exit_code == 0
    assert f"wrote {out}" in result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["trainee", "criterion", "title", "sessions", "met", "missed", "met_rate", "trend", "weakest"]
    assert {r["trainee"] for r in rows} == {ANA, "Bo"}
    calm = next(r for r in rows if r["trainee"] == ANA and r["criterion"] == "keep_calm")
    assert calm["sessions"] == "2" and 0 <= float(calm["met_rate"]) <= 1
    assert sum(r["weakest"] == "yes" for r in rows if r["trainee"] == ANA) == 3


def test_report_html_is_one_self_contained_page_with_charts(run_cli, cohort, tmp_path):
    out = tmp_path / "cohort.html"
    assert run_cli("report", str(cohort), "--html", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg") >= 4  # criteria and personas, and per trainee
    assert 'aria-label="Scores from' in html  # Ana's two scores as a line
    assert ANA in html and AGGRESSIVE in html
    assert not re.search(r"<script|<link|<img|src=|url\(|@import", html)


def test_report_shows_names_as_text(run_cli, tmp_path):
    folder = tmp_path / "t"
    play_call(run_cli, folder, AGGRESSIVE, MILD, trainee="<b>Eve</b>")
    out = tmp_path / "r.html"
    run_cli("report", str(folder), "--html", str(out))
    html = out.read_text(encoding="utf-8")
    assert "<b>Eve" not in html and "&lt;b&gt;Eve&lt;/b&gt;" in html
    assert "\\<b\\>Eve\\</b\\>" in run_cli("report", str(folder)).stdout


def test_report_skips_bad_files_by_name_and_reports_the_rest(run_cli, cohort):
    sample = sorted(cohort.glob("*.jsonl"))[0]
    cut_off(sample, cohort / "crashed-mid-write.jsonl")
    edited = records(sample)
    edited[3]["text"] = "Edited by hand."
    write_lines(cohort / "edited.jsonl", [json.dumps(r) for r in edited])
    shutil.copy(FIXTURES / "dialogs" / "en-good.json", cohort / "foreign.jsonl")
    (cohort / "notes.txt").write_text("Bo: retake", encoding="utf-8")
    result = run_cli("report", str(cohort))
    assert result.exit_code == 0
    assert result.stdout.startswith("# Cohort report: 4 sessions, 2 trainees")
    err = result.stderr
    assert f"skipped: {cohort / 'crashed-mid-write.jsonl'}: truncated: line" in err
    assert f"skipped: {cohort / 'edited.jsonl'}: line 4 was changed (line 5 holds a different hash for it)" in err
    assert f"skipped: {cohort / 'foreign.jsonl'}: not a transcript: line 1 is not a header record" in err
    assert f"skipped: {cohort / 'notes.txt'}: not a transcript (not a .jsonl file)" in err


def test_a_copied_transcript_counts_once(run_cli, cohort):
    sample = sorted(cohort.glob("*.jsonl"))[0]
    shutil.copy(sample, cohort / "zz-copy.jsonl")
    result = run_cli("report", str(cohort))
    assert result.stdout.startswith("# Cohort report: 4 sessions")
    assert f"skipped: {cohort / 'zz-copy.jsonl'}: a copy of session {sample.stem} (already read from {sample.name})" \
        in result.stderr


def test_long_runs_show_a_progress_bar_on_stderr(run_cli, tmp_path):
    folder = tmp_path / "many"
    first = play_call(run_cli, folder, AGGRESSIVE, MILD)
    text = lines(first)
    for n in range(PROGRESS_FROM):  # other sessions: the same call under new ids
        header = json.loads(text[0])
        header["session_id"] = f"{header['session_id']}-{n}"
        from tests.transcripts import rechain

        write_lines(folder / f"s{n:04d}.jsonl", rechain([header] + [json.loads(t) for t in text[1:]]))
    result = run_cli("report", str(folder))
    assert result.exit_code == 0
    assert "reading transcripts" in result.stderr
    assert result.stdout.startswith(f"# Cohort report: {PROGRESS_FROM + 1} sessions, 1 trainee")
    assert "reading transcripts" not in run_cli("report", str(first)).stderr


def test_report_of_an_empty_folder(run_cli, tmp_path):
    result = run_cli("report", str(tmp_path))
    assert result.exit_code == 0
    assert result.stdout.startswith("# Cohort report: 0 sessions, 0 trainees")


# ---- rescore -----------------------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_rescore_with_the_same_rubric_changes_nothing(run_cli, cohort):
    before = snapshot(cohort)
    result = run_cli("rescore", str(cohort))
    assert result.exit_code == 0, result.stderr
    finished = [p for p in sorted(cohort.glob("*.jsonl")) if records(p)[-1]["type"] == "end"]
    for path in finished:
        assert f"{path.name}: unchanged ({records(path)[-1]['score']:.1f})" in result.stdout
    assert sum("unfinished (" in line for line in result.stdout.splitlines()) == 1
    assert "4 transcripts re-scored with default v1: 0 changed, 3 unchanged, 1 unfinished; " \
        "the transcripts were not modified" in result.stderr
    assert snapshot(cohort) == before


def test_rescore_with_a_new_rubric_shows_what_changed_and_modifies_nothing(run_cli, cohort, tmp_path):
    text = (PROJECT / "rubrics" / "default.yaml").read_text(encoding="utf-8")
    text = text.replace("version: 1", "version: 2", 1).replace("pass_threshold: 70", "pass_threshold: 95", 1)
    text = text.replace("    applies: first_reply\n    satisfied_by: [empathy]",
                        "    applies: first_reply\n    satisfied_by: [empathy, question]", 1)
    strict = tmp_path / "strict.yaml"
    strict.write_text(text, encoding="utf-8")
    before = snapshot(cohort)
    result = run_cli("rescore", str(cohort), "--rubric", str(strict))
    assert result.exit_code == 0, result.stderr
    good = next(p for p in sorted(cohort.glob(f"*{AGGRESSIVE}*")) if records(p)[-1].get("passed"))
    block = result.stdout.split(f"{good.name}: ")[1].split(".jsonl:")[0]
    assert block.startswith(f"score {records(good)[-1]['score']:.1f} → ")
    assert ", passed → not passed" in block.splitlines()[0]
    assert "recorded with rubric default v1, re-scored with default v2" in block
    assert snapshot(cohort) == before


def test_rescore_reports_bad_files_and_a_bad_rubric(run_cli, cohort, tmp_path):
    (cohort / "notes.txt").write_text("x", encoding="utf-8")
    result = run_cli("rescore", str(cohort))
    assert f"skipped: {cohort / 'notes.txt'}: not a transcript (not a .jsonl file)" in result.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\n", encoding="utf-8")
    bad = run_cli("rescore", str(cohort), "--rubric", str(broken))
    assert bad.exit_code == 1
    assert bad.stderr.startswith(f"Error: {broken}")
    assert "Traceback" not in bad.stderr
