"""Signed certification records: trainer keys, `trainer verify` on every kind of tampering, `trainer certify`."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, PROJECT
from tests.transcripts import ANA, MILD, POOR, cut_off, good_replies, lines, play_call, rechain, records, write_lines
from trainer.config.settings import home
from trainer.records.store import FORMAT_VERSION

PERSONA = "aggressive-broadband-outage"


@pytest.fixture
def exam(run_cli, folder, key) -> Path:
    """A signed exam of 19 lines: the header, four customer and three trainee turns and the end, each followed
    by its seal, then the signature."""
    path = play_call(run_cli, folder, PERSONA, MILD, mode="exam")
    assert [r["type"] for r in records(path)] == ["header", "seal"] + ["turn", "seal"] * 7 + ["end", "seal", "signature"]
    return path


def verify(run_cli, *paths: Path):  # type: ignore[no-untyped-def]
    return run_cli("verify", *map(str, paths))


# ---- keys ----------------------------------------------------------------------------------------------------


def test_keys_init_creates_a_private_key_only_its_owner_can_read(run_cli, key):
    folder = home() / "keys"
    assert stat.S_IMODE((folder / "signing.key").stat().st_mode) == 0o600
    assert (folder / "signing.pub").read_text().startswith("-----BEGIN PUBLIC KEY-----")


def test_keys_init_never_overwrites_without_force(run_cli, key):
    private = home() / "keys" / "signing.key"
    before = private.read_bytes()
    again = run_cli("keys", "init")
    assert again.exit_code == 1
    assert again.stderr.startswith(f"Error: a signing key already exists: {private} (--force replaces it")
    assert private.read_bytes() == before


def test_replacing_the_key_keeps_old_transcripts_verifying(run_cli, exam, key):
    result = run_cli("keys", "init", "--force")
    assert result.exit_code == 0
    assert key not in result.stdout
    assert verify(run_cli, exam).exit_code == 0


def test_keys_show_prints_the_public_key_to_share(run_cli, key):
    result = run_cli("keys", "show")
    assert result.exit_code == 0
    assert result.stdout == (home() / "keys" / "signing.pub").read_text()
    assert f"this key: {key}" in result.stderr


def test_keys_show_without_a_key(run_cli):
    result = run_cli("keys", "show")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: no signing key in {home() / 'keys'}: run `trainer keys init` first"


def test_exam_without_a_key_is_refused_before_the_call(run_cli, folder):
    result = run_cli("play", "--persona", PERSONA, "--mode", "exam", env={"TRAINER_TRANSCRIPTS": str(folder)})
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: no signing key in {home() / 'keys'}: run `trainer keys init` first"
    assert not folder.exists() or not list(folder.iterdir())


def test_a_private_key_others_can_read_is_refused(run_cli, folder, key):
    private = home() / "keys" / "signing.key"
    os.chmod(private, 0o644)
    result = run_cli("play", "--persona", PERSONA, "--mode", "exam", env={"TRAINER_TRANSCRIPTS": str(folder)})
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {private} is readable by others (mode 0644): run `chmod 600 {private}`"


def test_a_damaged_private_key_is_one_line(run_cli, folder, key):
    private = home() / "keys" / "signing.key"
    private.write_text("not a key\n")
    result = run_cli("play", "--persona", PERSONA, "--mode", "exam", env={"TRAINER_TRANSCRIPTS": str(folder)})
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {private}: not a private key in the PEM form `trainer keys init` writes")
    assert len(result.stderr.strip().splitlines()) == 1


def test_trusting_a_file_that_is_not_a_public_key(run_cli, tmp_path):
    junk = tmp_path / "anna.pub"
    junk.write_text("hello\n")
    result = run_cli("keys", "trust", str(junk))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {junk}: not a public key in the PEM form `trainer keys show` prints")
    missing = run_cli("keys", "trust", str(tmp_path / "none.pub"))
    assert missing.stderr.strip() == f"Error: {tmp_path / 'none.pub'}: no such file"


# ---- verify ----------------------------------------------------------------------------------------------------


def test_a_finished_exam_is_signed_and_verifies(run_cli, exam, key):
    last = records(exam)[-1]
    assert last["type"] == "signature" and last["key"] == key and last["records"] == len(records(exam)) - 1
    result = verify(run_cli, exam)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{exam}: valid: exam, signed by {key}"


def test_practice_sessions_verify_as_intact_and_unsigned(run_cli, folder):
    path = play_call(run_cli, folder, PERSONA, POOR)
    result = verify(run_cli, path)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{path}: intact: practice, finished, not signed"


def tampered(exam: Path, how: str) -> Path:
    text = lines(exam)
    target = exam.with_name(f"{how}.jsonl")
    if how == "changed":
        record = json.loads(text[4])
        record["text"] = record["text"] + " (and a free upgrade)"
        text[4] = json.dumps(record)
    elif how == "reordered":
        text[3], text[4] = text[4], text[3]
    elif how == "removed":
        del text[3:5]
    elif how == "truncated":
        text = text[:5]
    elif how == "appended":  # a turn added after the signature, chained as the trainer would chain it
        turn = json.loads(text[-4])
        text.append(json.dumps({**turn, "n": len(text), "prev": _hash(json.loads(text[-1])), "text": "added later"}))
    elif how == "score_edited":
        recs = [json.loads(line) for line in text]
        end = _end(recs)
        end["score"], end["passed"] = 100.0, True
        text = rechain(recs)  # the chain is made whole again; the seals and the signature cannot be
    return write_lines(target, text)


@pytest.mark.parametrize("how, message", [
    ("changed", "line 5 was changed (line 6 holds a different hash for it)"),
    ("reordered", "reordered: line 4 belongs after line 5, not after line 3"),
    ("removed", "records removed: 2 lines are missing before line 4"),
    ("truncated", "unfinished or truncated after line 5: an exam transcript ends with a signature"),
    ("appended", "line {last} was added after the signature"),
    ("score_edited", "line 18: its seal does not match (changed after it was written, or sealed by someone else)"),
])
def test_verify_names_the_first_line_that_was_tampered_with(run_cli, exam, how, message):
    path = tampered(exam, how)
    result = verify(run_cli, path)
    assert result.exit_code == 1
    assert result.stdout.strip() == f"{path}: FAILED: " + message.format(last=len(lines(path)))


def test_verify_a_cut_off_file(run_cli, exam):
    result = verify(run_cli, cut_off(exam))
    assert result.exit_code == 1
    assert result.stdout.strip() == f"{exam}: FAILED: truncated: line {len(lines(exam))}, the last record, is cut off"


def resealed(recs: list[dict], signer) -> list[dict]:  # type: ignore[no-untyped-def]
    """The records sealed and signed again with `signer`'s key, as a forger with a key of their own would."""
    from trainer.records.chain import link

    out: list[dict] = []
    session_id = recs[0]["session_id"]
    for record in (r for r in recs if r["type"] not in ("seal", "signature")):
        out.append(link(record, out[-1] if out else None, len(out)))
        out.append(link(signer.seal_record(session_id, len(out), _hash(out[-1])), out[-1], len(out)))
    out.append(link(signer.signature_record(session_id, len(out), _hash(out[-1])), out[-1], len(out)))
    return out


def test_re_signed_with_an_unknown_key(run_cli, exam, tmp_path):
    """Someone edits a score, re-chains the records, and seals and signs them with a key of their own."""
    from trainer.records.signing import init_keys

    forger = init_keys(tmp_path / "forger")
    recs = records(exam)
    _end(recs)["score"] = 100.0
    write_lines(exam, [json.dumps(r) for r in resealed(recs, forger)])
    result = verify(run_cli, exam)
    assert result.exit_code == 1
    assert result.stdout.strip() == (
        f"{exam}: FAILED: signed with an unknown key {forger.key_id} (trust it with `trainer keys trust FILE`)"
    )


def _end(recs: list[dict]) -> dict:
    return next(r for r in recs if r["type"] == "end")


def _hash(record: dict) -> str:
    from trainer.records.chain import record_hash

    return record_hash(record)


def test_another_trainers_key_verifies_once_trusted(run_cli, exam, key, tmp_path):
    shared = tmp_path / "trainer-a.pub"
    shared.write_bytes((home() / "keys" / "signing.pub").read_bytes())
    other_home = tmp_path / "other"
    assert verify(run_cli, exam).exit_code == 0
    env = {"TRAINER_HOME": str(other_home)}
    assert "signed with an unknown key" in run_cli("verify", str(exam), env=env).stdout
    assert run_cli("keys", "trust", str(shared), env=env).stdout.startswith(f"trusted {key}: ")
    assert run_cli("verify", str(exam), env=env).exit_code == 0


def test_verify_a_folder_reports_each_file_by_name(run_cli, exam, folder):
    practice = play_call(run_cli, folder, PERSONA, POOR)
    bad = tampered(exam, "changed")
    (folder / "notes.txt").write_text("Ana: retake on Friday\n")
    (folder / "dialog.jsonl").write_bytes((FIXTURES / "dialogs" / "en-good.json").read_bytes())
    (folder / "photo.jsonl").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "old.jsonl").write_bytes((FIXTURES / "transcripts" / "format1.jsonl").read_bytes())
    result = verify(run_cli, folder)
    assert result.exit_code == 1
    out = result.stdout
    assert f"{exam}: valid: exam, signed by" in out
    assert f"{practice}: intact: practice, finished, not signed" in out
    assert f"{bad}: FAILED: line 5 was changed" in out
    assert f"{folder / 'notes.txt'}: FAILED: not a transcript (not a .jsonl file)" in out
    assert f"{folder / 'dialog.jsonl'}: FAILED: not a transcript: line 1 is not a header record" in out
    assert f"{folder / 'photo.jsonl'}: FAILED: not a transcript: not UTF-8 text (byte 0)" in out
    assert f"{folder / 'old.jsonl'}: FAILED: cannot be verified: format 1 was written before the hash chain" in out
    assert result.stderr.strip().endswith("2 of 7 files verified; 5 failed")


def test_verify_a_missing_path(run_cli, tmp_path):
    result = verify(run_cli, tmp_path / "nowhere")
    assert result.exit_code == 1
    assert result.stdout.strip() == f"{tmp_path / 'nowhere'}: FAILED: no such file or folder"


def test_a_newer_format_is_named_not_misread(run_cli, exam):
    text = lines(exam)
    header = json.loads(text[0])
    header["format"] = 9
    write_lines(exam, [json.dumps(header)] + text[1:])
    assert verify(run_cli, exam).stdout.strip().endswith(
        f"FAILED: written by a newer trainer (format 9; this one reads up to {FORMAT_VERSION})")


# ---- certify ---------------------------------------------------------------------------------------------------

TRACK = {  # persona for each requirement of rubrics/default.yaml's track
    "aggressive": "aggressive-broadband-outage",
    "customer_at_fault": "customer-at-fault-old-address",
    "other_language": "de-kompensation-sofa-lieferung",
}


@pytest.fixture
def certified(run_cli, folder, key) -> dict[str, Path]:
    return {req: play_call(run_cli, folder, pid, good_replies(pid), mode="exam") for req, pid in TRACK.items()}


def test_certificate_lists_each_session_with_score_and_verification(run_cli, folder, certified, key, tmp_path):
    out = tmp_path / "ana.html"
    result = run_cli("certify", "--trainee", ANA, str(folder), "-o", str(out))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"Certified in handling difficult customers: {ANA}\n")
    assert result.stdout.count("✓") == 3 and "✗" not in result.stdout
    html = out.read_text(encoding="utf-8")
    assert ANA in html and "Certified in handling difficult customers" in html
    for path in certified.values():
        assert path.name in html
    assert html.count(f"valid: exam, signed by {key}") == 3
    assert not re.search(r"<script|<link|<img|src=|url\(|@import", html)


def test_certificate_goes_to_a_default_file_named_for_the_trainee(run_cli, folder, certified, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("certify", "--trainee", "ana berzina", str(folder))
    assert result.exit_code == 0
    assert result.stderr.strip() == "wrote certificate-ana-berzina.html"


def test_certify_explains_the_missing_requirement(run_cli, folder, key):
    play_call(run_cli, folder, TRACK["aggressive"], good_replies(TRACK["aggressive"]), mode="exam")
    poor = play_call(run_cli, folder, TRACK["customer_at_fault"], POOR, mode="exam")
    play_call(run_cli, folder, TRACK["other_language"], good_replies(TRACK["other_language"]))  # practice
    result = run_cli("certify", "--trainee", ANA, str(folder))
    assert result.exit_code == 1
    out = result.stdout
    assert "✓ An aggressive or angry customer: aggressive-broadband-outage" in out
    score = _end(records(poor))["score"]
    assert (f"✗ A customer who is at fault: no session counts: {poor.stem} (customer-at-fault-old-address): "
            f"score {score:g}, 70 needed") in out
    assert "✗ A customer in a language other than English: no session counts: " in out
    assert "taken in practice mode, not exam" in out
    assert result.stderr.strip() == "Error: not certified: 2 of 3 requirements missing"
    assert not list(Path.cwd().glob("certificate-*.html"))


def test_a_tampered_exam_does_not_count(run_cli, folder, certified):
    path = certified["customer_at_fault"]
    text = lines(path)
    record = json.loads(text[2])
    record["text"] = "Let me make sure I understand: you moved. " + record["text"]
    text[2] = json.dumps(record)
    write_lines(path, text)
    result = run_cli("certify", "--trainee", ANA, str(folder))
    assert result.exit_code == 1
    assert f"skipped: {path}: line 3 was changed" in result.stderr
    assert "✗ A customer who is at fault: no exam session with such a customer yet" in result.stdout


def test_one_session_never_counts_for_two_requirements(run_cli, folder, key):
    # A Russian aggressive customer is both aggressive and not English: it may count for one of them only.
    pid = "ru-agressiya-kukhnya-na-zakaz"
    play_call(run_cli, folder, pid, good_replies(pid), mode="exam")
    result = run_cli("certify", "--trainee", ANA, str(folder))
    assert result.stdout.count("✓") == 1
    assert "its qualifying sessions already count for: " in result.stdout


def test_certify_an_unknown_trainee_lists_who_is_there(run_cli, folder, certified):
    result = run_cli("certify", "--trainee", "Zed", str(folder))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: no sessions for trainee 'Zed' (trainees there: {ANA})"


def test_certify_with_a_rubric_without_a_track(run_cli, folder, certified):
    rubric = FIXTURES / "rubric_minimal.yaml"
    result = run_cli("certify", "--trainee", ANA, str(folder), "--rubric", str(rubric))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {rubric}: the rubric has no certification track (add a `certification:` section)"
    )


def test_certificate_shows_the_trainee_name_as_text(run_cli, folder, key, tmp_path):
    name = "<img src=x onerror=alert(1)>"
    for pid in TRACK.values():
        play_call(run_cli, folder, pid, good_replies(pid), mode="exam", trainee=name)
    out = tmp_path / "c.html"
    assert run_cli("certify", "--trainee", name, str(folder), "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_requirement_must_narrow_the_customers(run_cli, variant):
    path = variant("rubric_minimal.yaml", ("criteria:", "certification:\n  title: T\n  requirements:\n"
                                                       "    - id: any\n      title: Anyone\n      min_score: 50\n"
                                                       "criteria:"))
    result = run_cli("validate", str(path))
    assert result.exit_code == 1
    assert "certification.requirements[0]" in result.stderr
    assert "a requirement needs personas, types, languages or fault" in result.stderr


def test_shipped_rubric_has_the_certification_track():
    from trainer.content.loader import load_rubric

    track = load_rubric(PROJECT / "rubrics" / "default.yaml").certification
    assert track is not None and track.mode == "exam" and track.signed
    assert [r.id for r in track.requirements] == list(TRACK)
