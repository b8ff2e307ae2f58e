"""`trainer score`: the JSON interface, the verdicts a trainee sees, and bad input that never stops the rest."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import FIXTURES, PROJECT
from trainer.content.loader import load_rubric
from trainer.content.rubric import Applies
from trainer.content.vocabulary import Signal
from trainer.scoring.dialog import Dialog
from trainer.scoring.scorer import Scorer, Status

GOOD = FIXTURES / "dialogs" / "en-good.json"
BAD = FIXTURES / "dialogs" / "en-bad.json"
PROJECT_RUBRIC = PROJECT / "rubrics" / "default.yaml"
ELEVEN = {s.value for s in Signal}


def scored(run_cli, *files: Path) -> tuple[int, list[dict], str]:
    result = run_cli("score", *map(str, files), "--format", "json")
    return result.exit_code, json.loads(result.stdout), result.stderr


def criteria(turn: dict) -> dict[str, dict]:
    return {c["id"]: c for c in turn["criteria"]}


def write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_json_format_matches_the_documented_interface(run_cli):
    code, results, _ = scored(run_cli, GOOD, BAD)
    assert code == 0
    assert [r["file"] for r in results] == [str(GOOD), str(BAD)]
    for result in results:
        assert set(result) == {"file", "score", "passed", "turns"}
        for i, turn in enumerate(result["turns"]):
            assert turn["index"] == i
            if turn["role"] == "customer":
                assert set(turn) == {"index", "role", "text"}
                continue
            assert set(turn) == {"index", "role", "text", "signals", "evidence", "criteria"}
            assert set(turn["signals"]) == ELEVEN and set(turn["evidence"]) == ELEVEN
            for name, spans in turn["evidence"].items():
                assert bool(spans) == turn["signals"][name]
                for start, end in spans:
                    assert 0 <= start < end <= len(turn["text"])
            for verdict in turn["criteria"]:
                assert set(verdict) == {"id", "status", "evidence", "tip"}
                assert verdict["status"] in {"met", "missed", "not_applicable"}
                assert bool(verdict["tip"]) == (verdict["status"] == "missed")


def test_good_trainee_passes_and_bad_one_fails(run_cli):
    _, (good, bad), _ = scored(run_cli, GOOD, BAD)
    assert good["passed"] and good["score"] >= 90
    assert not bad["passed"] and bad["score"] < 30


def test_verdicts_quote_the_words_that_earned_them(run_cli):
    _, (good, bad), _ = scored(run_cli, GOOD, BAD)
    first = criteria(good["turns"][1])
    assert first["empathy_first_reply"]["status"] == "met"
    assert '"understand your frustration"' in first["empathy_first_reply"]["evidence"]
    blamed = criteria(bad["turns"][1])["no_blame"]
    assert blamed["status"] == "missed"
    assert '"You must have unplugged"' in blamed["evidence"]
    assert blamed["tip"].startswith("Avoid")


def test_apology_owed_only_when_company_at_fault(run_cli, tmp_path):
    turns = [{"role": "customer", "text": "I typed the wrong address."},
             {"role": "trainee", "text": "Let me check the address with you. Which street is it?"}]
    company = write(tmp_path, "company.json", {"language": "en", "company_at_fault": True, "turns": turns})
    customer = write(tmp_path, "customer.json", {"language": "en", "company_at_fault": False, "turns": turns})
    _, (owed, not_owed), _ = scored(run_cli, company, customer)
    assert criteria(owed["turns"][1])["apology_when_at_fault"]["status"] == "missed"
    assert criteria(not_owed["turns"][1])["apology_when_at_fault"]["status"] == "not_applicable"


def test_escalation_expected_after_manager_request(run_cli, tmp_path):
    path = write(tmp_path, "d.json", {"language": "en", "turns": [
        {"role": "customer", "text": "This is useless."},
        {"role": "trainee", "text": "I understand how frustrating this is."},
        {"role": "customer", "text": "I want to speak to your manager."},
        {"role": "trainee", "text": "I understand. Let me check your order first."},
    ]})
    _, (result,), _ = scored(run_cli, path)
    assert criteria(result["turns"][1])["escalate_when_asked"]["status"] == "not_applicable"
    missed = criteria(result["turns"][3])["escalate_when_asked"]
    assert missed["status"] == "missed"
    assert "after the customer asked for a manager" in missed["evidence"]


def test_boundary_expected_after_abuse(run_cli, tmp_path):
    path = write(tmp_path, "d.json", {"language": "en", "turns": [
        {"role": "customer", "text": "You useless idiot."},
        {"role": "trainee", "text": "I understand you're upset, but if the insults continue I will have to end this call."},
    ]})
    _, (result,), _ = scored(run_cli, path)
    assert criteria(result["turns"][1])["boundary_after_abuse"]["status"] == "met"


def test_paraphrase_needed_before_first_solution(run_cli, tmp_path):
    path = write(tmp_path, "d.json", {"language": "en", "turns": [
        {"role": "customer", "text": "My parcel never came."},
        {"role": "trainee", "text": "A courier will bring a new one tomorrow before noon."},
    ]})
    _, (result,), _ = scored(run_cli, path)
    verdict = criteria(result["turns"][1])["paraphrase_before_solution"]
    assert verdict["status"] == "missed"
    assert verdict["evidence"] == "no paraphrase before the first proposed solution"


def test_repeated_stock_phrases_earn_no_credit(run_cli, tmp_path):
    path = write(tmp_path, "d.json", {"language": "en", "company_at_fault": True, "turns": [
        {"role": "customer", "text": "Where is my refund?"},
        {"role": "trainee", "text": "Sorry, sorry. I understand your frustration, I understand your frustration."},
    ]})
    _, (result,), _ = scored(run_cli, path)
    turn = result["turns"][1]
    assert turn["signals"]["empathy"] and turn["signals"]["apology"]
    verdicts = criteria(turn)
    assert verdicts["empathy_first_reply"]["status"] == "missed"
    assert "repeated as a stock phrase earns no credit" in verdicts["empathy_first_reply"]["evidence"]
    assert verdicts["apology_when_at_fault"]["status"] == "missed"


def test_same_stock_phrase_in_consecutive_turns_is_called_out():
    dialog = Dialog.model_validate({"language": "en", "turns": [
        {"role": "customer", "text": "It broke again."},
        {"role": "trainee", "text": "I understand your frustration. What happened?"},
        {"role": "customer", "text": "It just stopped."},
        {"role": "trainee", "text": "I understand your frustration."},
    ]})
    every_turn = load_rubric(FIXTURES / "rubric_minimal.yaml").model_copy()
    criterion = every_turn.criteria[0].model_copy(update={"applies": Applies.every_turn})
    session = Scorer(every_turn.model_copy(update={"criteria": [criterion]})).score(dialog)
    first, second = session.turns[1], session.turns[3]
    assert first.verdicts[0].status is Status.met
    assert second.hollow == {"empathy": "understand your frustration"}
    assert second.verdicts[0].status is Status.missed


def test_same_input_gives_the_same_scores(run_cli):
    assert scored(run_cli, GOOD, BAD)[1] == scored(run_cli, GOOD, BAD)[1]


def test_markdown_report_shows_score_and_missed_criteria(run_cli):
    result = run_cli("score", str(BAD))
    assert result.exit_code == 0
    assert "**Score 13.6 / 100: not passed**" in result.stdout
    assert "missed `no_blame`: \"You must have unplugged\" (blame)." in result.stdout


def test_html_report_escapes_trainee_text(run_cli, tmp_path):
    path = write(tmp_path, "d.json", {"language": "en", "turns": [
        {"role": "customer", "text": "<script>alert(1)</script>"},
        {"role": "trainee", "text": "[bold]I understand your frustration[/bold] <b>really</b>"},
    ]})
    result = run_cli("score", str(path), "--format", "html")
    assert "<script>alert(1)</script>" not in result.stdout
    assert "&lt;script&gt;" in result.stdout and "&lt;b&gt;really&lt;/b&gt;" in result.stdout


def test_bad_files_are_reported_and_the_rest_still_scored(run_cli, tmp_path):
    bad = {
        "broken.json": '{"language": "en", "turns": [',
        "no-turns.json": {"language": "en"},
        "role.json": {"language": "en", "turns": [{"role": "agent", "text": "Hi"}]},
        "language.json": {"language": "fr", "turns": [{"role": "trainee", "text": "Bonjour"}]},
        "empty.json": {"language": "en", "turns": [{"role": "trainee", "text": "   "}]},
    }
    paths = [write(tmp_path, name, content) for name, content in bad.items()]
    code, results, stderr = scored(run_cli, paths[0], GOOD, *paths[1:])
    assert code == 1
    assert [r["file"] for r in results] == [str(GOOD)]
    lines = stderr.splitlines()
    assert lines == [
        f"{paths[0]}:1:30: not valid JSON: Expecting value",
        f"{paths[1]}: turns: required field is missing",
        f"{paths[2]}: turns[0].role: expected one of 'customer' or 'trainee'; got 'agent'",
        f"{paths[3]}: language: expected one of 'en', 'de', 'lv', 'pl', 'ru' or 'nl'; got 'fr'",
        f"{paths[4]}: turns[0].text: empty text",
    ]
    assert "Traceback" not in stderr


def test_long_emoji_mixed_script_and_control_characters(run_cli, tmp_path):
    odd = [
        "I understand your frustration. " * 3300,  # about 100 KB
        "I'm sorry 😡🙏 for the wait — спасибо! 谢谢",
        "Thank you\x00\x07\x1b[31m for waiting\r\n\tI will call you at 5 pm.",
        "ＦＵＬＬＷＩＤＴＨ and Ünïcödé",
    ]
    turns = [{"role": "customer", "text": "Hello?"}]
    for text in odd:
        turns += [{"role": "trainee", "text": text}, {"role": "customer", "text": "Okay."}]
    path = write(tmp_path, "odd.json", {"language": "en", "turns": turns})
    code, (result,), stderr = scored(run_cli, path)
    assert code == 0, stderr
    assert result["turns"][1]["signals"]["empathy"]
    assert result["turns"][3]["signals"]["apology"]
    assert result["turns"][5]["signals"]["thanks"] and result["turns"][5]["signals"]["commitment"]


def test_missing_rubric_is_one_line(run_cli, tmp_path):
    result = run_cli("score", str(GOOD), "--rubric", str(tmp_path / "none.yaml"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {tmp_path / 'none.yaml'}: file not found"


def test_one_phrase_matched_by_two_patterns_is_not_a_repeat(run_cli, tmp_path):
    path = write(tmp_path, "d.json", {"language": "en", "turns": [
        {"role": "customer", "text": "It broke."},
        {"role": "trainee", "text": "I understand how frustrating this is."},
    ]})
    _, (result,), _ = scored(run_cli, path)
    assert criteria(result["turns"][1])["empathy_first_reply"]["status"] == "met"



def test_json_is_one_compact_line_unless_pretty_and_the_same_on_every_run(run_cli):
    compact = run_cli("score", str(GOOD), str(BAD), "--format", "json").stdout
    assert compact.count("\n") == 1 and ", " not in compact.split('"text"')[0]
    assert run_cli("score", str(GOOD), str(BAD), "--format", "json").stdout == compact
    pretty = run_cli("score", str(GOOD), str(BAD), "--format", "json", "--pretty").stdout
    assert pretty.count("\n") > 100
    assert json.loads(pretty) == json.loads(compact)


def test_a_call_scored_after_every_turn_gets_the_verdicts_of_the_whole_call_scored_once():
    dialog = Dialog.model_validate(json.loads(BAD.read_text(encoding="utf-8")))
    whole = Scorer(load_rubric(PROJECT_RUBRIC)).score(dialog)
    live = Scorer(load_rubric(PROJECT_RUBRIC))
    for n in range(1, len(dialog.turns) + 1):
        live.score(dialog.model_copy(update={"turns": dialog.turns[:n]}))
    again = live.score(dialog)
    assert [(t.text, t.verdicts, t.hollow) for t in again.turns] == [(t.text, t.verdicts, t.hollow) for t in whole.turns]
    assert again.score == whole.score


def test_an_earlier_turn_changed_since_the_last_scoring_is_read_again():
    scorer = Scorer(load_rubric(PROJECT_RUBRIC))
    turns = [{"role": "customer", "text": "My router has been down since Monday!"},
             {"role": "trainee", "text": "I'm so sorry, I understand how frustrating that is."}]
    first = scorer.score(Dialog.model_validate({"language": "en", "company_at_fault": True, "turns": turns}))
    assert first.turns[1].reading.signals[Signal.apology]
    turns[1] = {"role": "trainee", "text": "That is not our problem."}
    second = scorer.score(Dialog.model_validate({"language": "en", "company_at_fault": True, "turns": turns}))
    assert not second.turns[1].reading.signals[Signal.apology]
    assert second.turns[1].reading.signals[Signal.negative_language] or second.turns[1].reading.cues


def test_many_files_scored_in_worker_processes_print_what_one_process_prints(run_cli, tmp_path):
    """`--jobs 2` shares the files among two processes; the output, the errors and the exit code stay the same."""
    broken = write(tmp_path, "broken.json", {"language": "en", "turns": [{"role": "boss", "text": "Hi"}]})
    files = [GOOD, BAD, broken, FIXTURES / "dialogs" / "en-mood.json", GOOD, tmp_path / "missing.json", BAD]
    one = run_cli("score", *map(str, files), "--format", "json", "--jobs", "1")
    two = run_cli("score", *map(str, files), "--format", "json", "--jobs", "2")
    assert one.exit_code == two.exit_code == 1
    assert two.stdout == one.stdout
    assert two.stderr == one.stderr and "broken.json" in two.stderr and "missing.json" in two.stderr
    assert [r["file"] for r in json.loads(two.stdout)] == [str(f) for f in files if f.name not in
                                                           ("broken.json", "missing.json")]
