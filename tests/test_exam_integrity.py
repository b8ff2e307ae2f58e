"""Exams an auditor can trust: sealed from their first record, resumed only as sealed, never rehearsed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.transcripts import ANA, MILD, good_replies, lines, play_call, rechain, records, write_lines
from trainer.config.settings import home
from trainer.records.chain import link, record_hash
from trainer.records.signing import load_signer

PERSONA = "aggressive-broadband-outage"


def env(folder: Path) -> dict[str, str]:
    return {"TRAINER_TRANSCRIPTS": str(folder)}


def replies_file(tmp_path: Path, replies) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "rest.txt"
    path.write_text("\n".join(replies) + "\n", encoding="utf-8")
    return str(path)


def test_a_practice_call_edited_into_an_exam_is_neither_resumed_nor_verified(run_cli, folder, key, tmp_path):
    """The forgery from the review: mode changed to exam, the end removed, the chain recomputed, then resumed."""
    path = play_call(run_cli, folder, PERSONA, MILD)
    recs = [r for r in records(path) if r["type"] != "end"]
    recs[0]["mode"] = "exam"
    write_lines(path, rechain(recs))
    resumed = run_cli("resume", path.stem, "--replies", replies_file(tmp_path, ["Thank you."]), env=env(folder))
    assert resumed.exit_code == 1
    assert resumed.stderr.strip() == (
        f"Error: cannot resume exam {path.stem}: exam transcript is not sealed from its first record "
        "(line 2 should be a seal)"
    )
    assert [r["type"] for r in records(path)] == [r["type"] for r in recs]  # nothing was appended, nothing signed
    verified = run_cli("verify", str(path))
    assert verified.exit_code == 1
    assert "FAILED: exam transcript is not sealed from its first record" in verified.stdout
    certified = run_cli("certify", "--trainee", ANA, str(folder))
    assert certified.exit_code == 1 and "✓" not in certified.stdout


def crashed_exam(run_cli, folder: Path, keep_turns: int) -> Path:  # type: ignore[no-untyped-def]
    """A good exam cut where a crash would leave it: after `keep_turns` turns and their seals."""
    path = play_call(run_cli, folder, PERSONA, good_replies(PERSONA), mode="exam")
    recs = records(path)
    turns = [i for i, r in enumerate(recs) if r["type"] == "turn"]
    return write_lines(path, lines(path)[: turns[keep_turns - 1] + 2])


def test_a_crashed_exam_resumes_sealed_and_says_where(run_cli, folder, key, tmp_path):
    path = crashed_exam(run_cli, folder, keep_turns=2)  # the opening and the first reply
    before = len(lines(path))
    rest = replies_file(tmp_path, good_replies(PERSONA)[1:])
    result = run_cli("resume", path.stem, "--replies", rest, "--json", env=env(folder))
    assert result.exit_code == 0, result.stderr
    recs = records(path)
    assert recs[before]["type"] == "resumed" and recs[before]["after"] == before
    assert recs[before + 1]["type"] == "seal"  # the resumption is sealed like every other record
    verified = run_cli("verify", str(path))
    assert verified.exit_code == 0, verified.stdout
    assert verified.stdout.strip() == f"{path}: valid: exam, signed by {key}, resumed at line {before + 1}"


def test_an_exam_whose_reply_was_edited_after_the_crash_is_not_resumed(run_cli, folder, key, tmp_path):
    path = crashed_exam(run_cli, folder, keep_turns=2)
    recs = records(path)
    reply = next(r for r in recs if r.get("role") == "trainee")
    reply["text"] = "I'm so sorry, let me make sure I understand: no broadband since Monday?"
    write_lines(path, rechain(recs))  # the chain is whole again; the seals cannot be
    result = run_cli("resume", path.stem, "--replies", replies_file(tmp_path, ["Thank you."]), env=env(folder))
    assert result.exit_code == 1
    assert re.fullmatch(
        rf"Error: cannot resume exam {path.stem}: line \d+: its seal does not match "
        r"\(changed after it was written, or sealed by someone else\)", result.stderr.strip(),
    )


def test_an_exam_record_added_by_hand_is_not_resumed(run_cli, folder, key, tmp_path):
    """A trainee turn appended and chained where the exam stopped carries no seal: resume will not sign it."""
    path = crashed_exam(run_cli, folder, keep_turns=1)
    recs = records(path)
    forged = link({"type": "turn", "role": "trainee", "text": "I'm so sorry about the outage.", "time": "",
                   "hint_used": False, "signals": {}, "verdicts": {}, "mood": 60}, recs[-1], len(recs))
    write_lines(path, lines(path) + [json.dumps(forged)])
    result = run_cli("resume", path.stem, "--replies", replies_file(tmp_path, ["Thank you."]), env=env(folder))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: cannot resume exam {path.stem}: line {len(recs) + 1}, the last record, was never sealed "
        "(cut off as it was written, or added by hand)"
    )


def test_an_exam_sealed_by_another_trainer_is_not_resumed_here(run_cli, folder, key, tmp_path):
    path = crashed_exam(run_cli, folder, keep_turns=1)
    assert run_cli("keys", "init", "--force").exit_code == 0  # the old key stays trusted, but cannot sign
    result = run_cli("resume", path.stem, env=env(folder))
    assert result.exit_code == 1
    assert f"it was sealed with {key}, and this trainer's key is ed25519:" in result.stderr


def test_every_exam_draws_a_fresh_seed(run_cli, folder, key, real_fresh_seed):
    seeds = {records(play_call(run_cli, folder, PERSONA, MILD, mode="exam"))[0]["seed"] for _ in range(3)}
    assert len(seeds) == 3


def test_an_exam_refuses_a_chosen_seed(run_cli, folder, key):
    result = run_cli("play", "--persona", PERSONA, "--mode", "exam", "--seed", "0", env=env(folder))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: an exam always draws a fresh seed, so it cannot be rehearsed: --seed is for practice"
    )
    assert not folder.exists() or not list(folder.iterdir())


def test_practice_keeps_the_seed_you_set_and_draws_one_otherwise(run_cli, folder, tmp_path, real_fresh_seed):
    said = replies_file(tmp_path, MILD)
    chosen = [run_cli("play", "--persona", PERSONA, "--seed", "7", "--replies", said, "--json", env=env(folder))
              for _ in range(2)]
    paths = [Path(json.loads(r.stdout)["transcript"]) for r in chosen]
    assert [records(p)[0]["seed"] for p in paths] == [7, 7]
    assert [r["text"] for r in records(paths[0]) if r["type"] == "turn"] == [
        r["text"] for r in records(paths[1]) if r["type"] == "turn"]
    drawn = {records(play_call(run_cli, folder, PERSONA, MILD))[0]["seed"] for _ in range(3)}
    assert len(drawn) == 3


def test_a_format_2_exam_verifies_but_does_not_count_for_certification(run_cli, folder, key):
    """Exams signed before sealing could have been forged through resume: shown, never certified."""
    for pid in ("aggressive-broadband-outage", "customer-at-fault-old-address", "de-kompensation-sofa-lieferung"):
        path = play_call(run_cli, folder, pid, good_replies(pid), mode="exam")
        recs = [r for r in records(path) if r["type"] not in ("seal", "signature")]
        recs[0]["format"] = 2
        chained = [json.loads(line) for line in rechain(recs)]
        signer = load_signer(home())
        signature = signer.signature_record(recs[0]["session_id"], len(chained), record_hash(chained[-1]))
        write_lines(path, [json.dumps(r) for r in chained + [link(signature, chained[-1], len(chained))]])
    verified = run_cli("verify", str(path))
    assert verified.exit_code == 0
    assert verified.stdout.strip() == (
        f"{path}: valid: exam, signed by {key} (format 2: sealed only at its end, so it does not count for certify)"
    )
    certified = run_cli("certify", "--trainee", ANA, str(folder))
    assert certified.exit_code == 1
    assert certified.stdout.count("signed only at its end (an exam from before exams were sealed") == 3


def test_a_sealed_format_3_exam_still_verifies_and_counts_for_certification(run_cli, folder, key, tmp_path,
                                                                            monkeypatch):
    """Format 4 added who voiced each line and `hung_up`; the exams sealed before it are as good as they were."""
    signer = load_signer(home())
    for pid in ("aggressive-broadband-outage", "customer-at-fault-old-address", "de-kompensation-sofa-lieferung"):
        path = play_call(run_cli, folder, pid, good_replies(pid), mode="exam")
        recs = [{k: v for k, v in r.items() if k != "voice"} for r in records(path) if r["type"] not in ("seal", "signature")]
        recs[0]["format"] = 3
        out: list[dict] = []
        for record in recs:  # written as a format 3 trainer wrote it: every record sealed, the end signed
            out.append(link(record, out[-1] if out else None, len(out)))
            seal = signer.seal_record(recs[0]["session_id"], len(out), record_hash(out[-1]))
            out.append(link(seal, out[-1], len(out)))
        signature = signer.signature_record(recs[0]["session_id"], len(out), record_hash(out[-1]))
        write_lines(path, [json.dumps(r) for r in out + [link(signature, out[-1], len(out))]])
    verified = run_cli("verify", str(path))
    assert verified.exit_code == 0, verified.stdout
    assert verified.stdout.strip() == f"{path}: valid: exam, signed by {key}"
    monkeypatch.chdir(tmp_path)  # the certificate is written to the current folder, never the checkout
    assert run_cli("certify", "--trainee", ANA, str(folder)).exit_code == 0
