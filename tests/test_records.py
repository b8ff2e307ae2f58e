"""Transcripts that survive crashes: what each record holds, the hash chain, the history, and `trainer resume`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, PROJECT
from tests.transcripts import ANA, MILD, POOR, cut_off, good_replies, lines, play_call, records, write_lines
from trainer.content.vocabulary import Signal
from trainer.records.chain import record_hash

PERSONA = "aggressive-broadband-outage"
REPLIES = MILD
FIRST = MILD[0]
VOLATILE = ("time", "started", "session_id", "prev", "n")  # what differs between two plays of the same call


def comparable(path: Path) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in VOLATILE} for r in records(path)]


# ---- what a transcript holds -------------------------------------------------------------------------------


def test_header_names_everything_needed_to_replay_and_trust_the_session(run_cli, folder):
    header = records(play_call(run_cli, folder, PERSONA, REPLIES, trainee=ANA))[0]
    assert header["type"] == "header" and header["format"] == 4 and header["n"] == 0 and header["prev"] is None
    assert header["trainee"] == ANA and header["persona_id"] == PERSONA and header["persona_type"] == "aggressive"
    assert header["persona_hash"].startswith("sha256:") and header["rubric_hash"].startswith("sha256:")
    for key in ("session_id", "rubric_id", "rubric_version", "scorer_version", "backend", "model", "seed", "mode",
                "started", "language", "fault"):
        assert key in header, key


def test_trainee_turns_record_signals_verdicts_mood_and_hint(run_cli, folder):
    turns = [r for r in records(play_call(run_cli, folder, PERSONA, REPLIES)) if r["type"] == "turn"]
    first = next(t for t in turns if t["role"] == "trainee")
    assert first["text"] == FIRST and first["hint_used"] is False and first["time"]
    assert set(first["signals"]) == {s.value for s in Signal} and first["signals"]["question"] is True
    assert first["verdicts"]["ask_questions"] == "met"
    assert first["verdicts"]["concrete_resolution"] == "missed"
    answer = turns[turns.index(first) + 1]
    assert first["mood"] == answer["mood"]  # the mood after the trainee's turn is the one the customer answers in


def test_closing_record_has_outcome_score_pass_and_criteria(run_cli, folder):
    end = records(play_call(run_cli, folder, PERSONA, REPLIES))[-1]
    assert end["type"] == "end" and end["outcome"] == "out_of_turns" and isinstance(end["passed"], bool)
    assert isinstance(end["score"], float) and end["criteria"]["ask_questions"] == {"met": 1, "missed": 0}


def test_a_call_the_trainee_ends_is_hung_up_in_the_json_transcript_debrief_history_and_report(run_cli, folder):
    replies = folder.parent / "hang-up.txt"
    replies.write_text(f"{FIRST}\n/end\n{MILD[1]}\n", encoding="utf-8")
    env = {"TRAINER_TRANSCRIPTS": str(folder)}
    played = run_cli("play", "--persona", PERSONA, "--replies", str(replies), "--json", env=env)
    assert played.exit_code == 0, played.stderr
    result = json.loads(played.stdout)
    assert result["outcome"] == "hung_up"
    path = Path(result["transcript"])
    assert records(path)[-1]["outcome"] == "hung_up"
    assert [r["role"] for r in records(path) if r["type"] == "turn"] == ["customer", "trainee", "customer"]
    printed = run_cli("play", "--persona", PERSONA, "--replies", str(replies), env=env)
    assert "The call ended: hung_up." in printed.stdout and "How the call ended: the trainee hung up" in printed.stdout
    assert "How the call ended: the trainee hung up" in run_cli("debrief", str(path)).stdout
    history = json.loads(run_cli("history", str(folder), "--json").stdout)
    assert {row["status"] for row in history} == {"hung_up"}
    assert f"| {PERSONA} | 2 |" in run_cli("report", str(folder)).stdout
    assert "| hung up 2 |" in run_cli("report", str(folder)).stdout


def test_a_call_whose_replies_run_out_is_still_out_of_turns(run_cli, folder):
    assert records(play_call(run_cli, folder, PERSONA, REPLIES[:1]))[-1]["outcome"] == "out_of_turns"


def test_customer_turns_say_who_voiced_them(run_cli, folder):
    voices = [r["voice"] for r in records(play_call(run_cli, folder, PERSONA, REPLIES)) if r.get("role") == "customer"]
    assert voices[0] == {"by": "scripted", "why": "opening lines are the persona's own"}
    assert all(v == {"by": "scripted", "why": "the scripted backend"} for v in voices[1:])


def test_every_record_carries_the_hash_of_the_one_before(run_cli, folder):
    recs = records(play_call(run_cli, folder, PERSONA, REPLIES))
    assert [r["n"] for r in recs] == list(range(len(recs)))
    for before, record in zip(recs, recs[1:]):
        assert record["prev"] == record_hash(before)


def test_records_are_on_disk_before_the_call_ends(tmp_path, folder):
    """Kill the process mid-call: what was on screen is in the file, and the session is listed as unfinished."""
    env = {**os.environ, "TRAINER_TRANSCRIPTS": str(folder), "PYTHONPATH": str(PROJECT)}
    process = subprocess.Popen([sys.executable, "-m", "trainer", "play", "--persona", PERSONA],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        process.stdin.write(f"{FIRST}\n".encode())  # type: ignore[union-attr]
        process.stdin.flush()  # type: ignore[union-attr]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            files = list(folder.glob("*.jsonl"))
            if files and len(lines(files[0])) >= 4:  # header, opening, the reply, the customer's answer
                break
            time.sleep(0.05)
        process.kill()
    finally:
        process.wait(timeout=10)
    (path,) = folder.glob("*.jsonl")
    recs = records(path)
    assert [r.get("role", r["type"]) for r in recs] == ["header", "customer", "trainee", "customer"]
    assert recs[2]["text"] == FIRST
    out = subprocess.run([sys.executable, "-m", "trainer", "history", str(folder)], env=env, capture_output=True,
                         text=True, check=True)
    assert "unfinished" in out.stdout.splitlines()[1]
    assert "1 unfinished: continue one with `trainer resume SESSION`" in out.stderr


# ---- history -------------------------------------------------------------------------------------------------


def test_history_lists_sessions_with_unfinished_ones_marked(run_cli, folder):
    done = play_call(run_cli, folder, PERSONA, REPLIES)
    cut = folder / "x.jsonl"
    other = play_call(run_cli, folder, "silent-coffee-subscription", REPLIES, trainee="Bo")
    write_lines(cut, lines(other)[:3])
    other.unlink()
    cut.rename(other)
    result = run_cli("history", str(folder))
    assert result.exit_code == 0
    rows = result.stdout.splitlines()
    assert rows[0].split() == ["SESSION", "STARTED", "TRAINEE", "PERSONA", "MODE", "STATUS", "SCORE"]
    assert any(done.stem in r and "out_of_turns" in r for r in rows)
    assert any(other.stem in r and "unfinished" in r for r in rows)
    assert run_cli("history", str(folder), "--unfinished").stdout.count("\n") == 2
    listed = json.loads(run_cli("history", str(folder), "--trainee", "bo", "--json").stdout)
    assert [(x["session"], x["status"], x["score"]) for x in listed] == [(other.stem, "unfinished", None)]


def test_history_reports_bad_files_by_name_and_shows_the_rest(run_cli, folder):
    good = play_call(run_cli, folder, PERSONA, REPLIES)
    (folder / "notes.txt").write_text("call Ana back", encoding="utf-8")
    cut_off(good, folder / "cut.jsonl")
    result = run_cli("history", str(folder))
    assert result.exit_code == 0
    assert good.stem in result.stdout
    assert f"skipped: {folder / 'notes.txt'}: not a transcript (not a .jsonl file)" in result.stderr
    assert f"skipped: {folder / 'cut.jsonl'}: truncated: line 9, the last record, is cut off" in result.stderr


# ---- resume --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("keep", [3, 4], ids=["after-the-customer", "after-the-trainee"])
def test_resumed_call_is_the_call_that_was_interrupted(run_cli, tmp_path, folder, keep):
    """Cut a transcript where a crash would (records are appended in order), resume it: the same call."""
    replies = list(good_replies(PERSONA))
    whole = play_call(run_cli, folder, PERSONA, replies)
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    cut = write_lines(crashed / whole.name, lines(whole)[:keep])
    rest = tmp_path / "rest.txt"
    rest.write_text("\n".join(replies[1:]) + "\n", encoding="utf-8")
    result = run_cli("resume", whole.stem, "--replies", str(rest), "--json", env={"TRAINER_TRANSCRIPTS": str(crashed)})
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["outcome"] == "resolved"
    recs = records(cut)
    assert recs[keep]["type"] == "resumed" and recs[keep]["after"] == keep  # the file says where it was picked up
    assert [r for r in comparable(cut) if r["type"] != "resumed"] == comparable(whole)
    assert all(r["prev"] == record_hash(p) for p, r in zip(recs, recs[1:]))


def test_resume_shows_where_the_call_stopped(run_cli, tmp_path, folder):
    whole = play_call(run_cli, folder, PERSONA, REPLIES)
    write_lines(whole, lines(whole)[:2])  # the customer's opening line, and nothing since
    rest = tmp_path / "rest.txt"
    rest.write_text("/end\n", encoding="utf-8")
    result = run_cli("resume", whole.stem[:22], "--replies", str(rest), env={"TRAINER_TRANSCRIPTS": str(folder)})
    assert result.exit_code == 0, result.stderr
    opening = records(whole)[1]["text"]
    assert result.stdout.startswith(f"Resuming {whole.stem}: Gary Whitlock (aggressive, en), 0 replies so far.")
    assert f"Gary Whitlock: {opening}" in result.stdout
    assert "The call ended: hung_up." in result.stdout


def test_resume_a_finished_session_says_so(run_cli, folder):
    whole = play_call(run_cli, folder, PERSONA, REPLIES)
    result = run_cli("resume", whole.stem, env={"TRAINER_TRANSCRIPTS": str(folder)})
    assert result.exit_code == 1
    end = records(whole)[-1]
    assert result.stderr.strip() == (
        f"Error: session {whole.stem} has already ended (out_of_turns, score {end['score']})"
    )


def test_resume_unknown_and_ambiguous_ids(run_cli, folder):
    play_call(run_cli, folder, PERSONA, REPLIES)
    play_call(run_cli, folder, PERSONA, REPLIES)
    env = {"TRAINER_TRANSCRIPTS": str(folder)}
    missing = run_cli("resume", "nope", env=env)
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"Error: no session 'nope' in {folder} (see `trainer history --unfinished`)"
    both = run_cli("resume", "20", env=env)
    assert both.exit_code == 1 and "'20' matches 2 sessions" in both.stderr


def test_resume_a_cut_off_file_is_one_line(run_cli, folder):
    whole = play_call(run_cli, folder, PERSONA, REPLIES)
    write_lines(whole, lines(whole)[:4])
    cut_off(whole)
    result = run_cli("resume", whole.stem, env={"TRAINER_TRANSCRIPTS": str(folder)})
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: cannot resume {whole}: truncated: line 4, the last record, is cut off"


def test_resume_after_the_persona_changed_explains_instead_of_diverging(run_cli, tmp_path, folder):
    whole = play_call(run_cli, folder, PERSONA, REPLIES)
    write_lines(whole, lines(whole)[:4])
    personas = tmp_path / "personas"
    shutil.copytree(PROJECT / "personas", personas)
    path = personas / "en" / f"{PERSONA}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("mood: 80", "mood: 40"), encoding="utf-8")
    result = run_cli("resume", whole.stem, env={"TRAINER_TRANSCRIPTS": str(folder), "TRAINER_PERSONAS": str(personas)})
    assert result.exit_code == 1
    assert "replaying gives the customer mood 40, the transcript says 80" in result.stderr
    assert "the persona or the phrase lists changed" in result.stderr
    assert len(lines(whole)) == 4  # nothing was appended


def test_resume_an_exam_without_the_signing_key(run_cli, tmp_path, folder):
    assert run_cli("keys", "init").exit_code == 0
    whole = play_call(run_cli, folder, PERSONA, REPLIES, mode="exam")
    write_lines(whole, lines(whole)[:3])
    result = run_cli("resume", whole.stem, env={"TRAINER_TRANSCRIPTS": str(folder), "TRAINER_HOME": str(tmp_path)})
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: no signing key in {tmp_path / 'keys'}: run `trainer keys init` first"


def test_format_1_transcripts_still_score_and_report(run_cli):
    old = FIXTURES / "transcripts" / "format1.jsonl"
    scored = run_cli("score", str(old), "--format", "json")
    assert scored.exit_code == 0, scored.stderr
    report = run_cli("report", str(old))
    assert report.exit_code == 0, report.stderr
    assert "| aggressive-broadband-outage | 1 |" in report.stdout


def test_poor_replies_fixture_is_a_real_call(run_cli, folder):
    # The report and certification tests lean on POOR failing; keep that true.
    end = records(play_call(run_cli, folder, PERSONA, POOR))[-1]
    assert end["passed"] is False
