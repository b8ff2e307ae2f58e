"""The shipped persona library and rubric: complete, valid, and browsable from the command line."""

from __future__ import annotations

import json
from collections import Counter

from tests.conftest import FIXTURES, PROJECT
from trainer.content.vocabulary import CustomerType, Fault, Language


def listed(run_cli) -> list[dict]:
    result = run_cli("personas", "list", "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_shipped_library_and_rubrics_validate(run_cli):
    result = run_cli("validate", str(PROJECT / "personas"), str(PROJECT / "rubrics"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


def test_every_customer_type_has_an_english_persona(run_cli):
    english = {p["type"] for p in listed(run_cli) if p["language"] == "en"}
    assert english == {t.value for t in CustomerType}


def test_at_least_three_personas_in_each_other_language(run_cli):
    counts = Counter(p["language"] for p in listed(run_cli))
    for language in Language:
        if language is not Language.en:
            assert counts[language.value] >= 3, language


def test_library_covers_every_fault(run_cli):
    assert {p["fault"] for p in listed(run_cli)} == {f.value for f in Fault}


def test_list_json_has_the_documented_keys(run_cli):
    for persona in listed(run_cli):
        assert set(persona) == {"id", "name", "type", "language", "difficulty", "fault"}


def test_list_table_and_filters(run_cli):
    result = run_cli("personas", "list", "--language", "de")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "TYPE", "LANGUAGE", "DIFFICULTY", "FAULT"]
    assert len(lines) >= 4
    assert all(line.split()[2] == "de" for line in lines[1:])


def test_show_prints_scenario_and_temperament(run_cli):
    result = run_cli("personas", "show", "aggressive-broadband-outage")
    assert result.exit_code == 0
    assert "Gary Whitlock (aggressive-broadband-outage)" in result.stdout
    assert "Company:  Northwave Broadband" in result.stdout
    assert "fault: company" in result.stdout
    assert "mood 80/100 at the start, patience 8 turns" in result.stdout


def test_show_unknown_persona_is_one_line(run_cli):
    result = run_cli("personas", "show", "nobody-here")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("Error: no persona with id 'nobody-here' in ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_show_a_broken_persona_explains_why(run_cli, variant, tmp_path):
    variant("persona_minimal.yaml", ("fault: company", "fault: us"), name="test-parcel.yaml")
    result = run_cli("personas", "show", "test-parcel", env={"TRAINER_PERSONAS": str(tmp_path)})
    assert result.exit_code == 1
    assert "test-parcel.yaml:13:10: scenario.fault: expected one of" in result.stderr


def test_schemas_are_up_to_date(run_cli):
    result = run_cli("schema", "--check")
    assert result.exit_code == 0, result.stderr


def test_persona_files_point_editors_at_the_schema():
    for path in (PROJECT / "personas").rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema.json", path


def test_persona_ids_match_file_names():
    for path in (PROJECT / "personas").rglob("*.yaml"):
        assert f"\nid: {path.stem}\n" in path.read_text(encoding="utf-8"), path


def test_no_command_shows_the_library_and_next_steps(run_cli):
    result = run_cli()
    assert result.exit_code == 0
    assert "personas (14 customer types" in result.stdout
    assert "trainer personas list" in result.stdout


def test_fixture_rubric_loads(run_cli):
    assert run_cli("validate", str(FIXTURES / "rubric_minimal.yaml")).exit_code == 0
