"""Bad persona and rubric files give one clear line: file, line, column, field, what was expected."""

from __future__ import annotations

from pathlib import Path

PERSONA = "persona_minimal.yaml"


def problem_lines(run_cli, path: Path) -> list[str]:
    result = run_cli("validate", str(path))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr + result.stdout
    return [line for line in result.stderr.splitlines() if "valid;" not in line]


def test_good_files_validate(run_cli, variant):
    path = variant(PERSONA)
    result = run_cli("validate", str(path))
    assert result.exit_code == 0
    assert result.stdout.strip() == "1 persona, 0 rubrics and 0 phrase lists are valid"


def test_malformed_yaml_names_line_and_column(run_cli, variant):
    path = variant(PERSONA, ("  product: Next-day delivery", "  product: [Next-day delivery"))
    assert problem_lines(run_cli, path) == [
        f"{path}:12:10: invalid YAML: while parsing a flow sequence expected ',' or ']', but got ':'"
    ]


def test_unquoted_colon_gets_a_hint(run_cli, variant):
    path = variant(PERSONA, ("summary: A parcel that did not arrive.", "summary: Late: the parcel."))
    assert problem_lines(run_cli, path) == [
        f"{path}:7:14: invalid YAML: mapping values are not allowed here (put text that contains ': ' in quotes)"
    ]


def test_unknown_field_suggests_the_right_one(run_cli, variant):
    path = variant(PERSONA, ("  hidden_facts:", "  hiden_facts:"))
    assert problem_lines(run_cli, path) == [
        f"{path}:16:3: scenario.hiden_facts: unknown field (did you mean 'hidden_facts'?)"
    ]


def test_unknown_field_lists_allowed_fields(run_cli, variant):
    path = variant(PERSONA, ("  patience: 6", "  patience: 6\n  colour: red"))
    assert problem_lines(run_cli, path) == [
        f"{path}:29:3: temperament.colour: unknown field "
        "(allowed: mood, patience, reactions, accept_below, leave_above, short_fuse)"
    ]


def test_missing_required_field(run_cli, variant):
    path = variant(PERSONA, ("  fault: company\n", ""))
    assert problem_lines(run_cli, path) == [f"{path}:9:1: scenario.fault: required field is missing"]


def test_wrong_enum_value_lists_the_choices(run_cli, variant):
    path = variant(PERSONA, ("fault: company", "fault: us"))
    assert problem_lines(run_cli, path) == [
        f"{path}:13:10: scenario.fault: expected one of 'company', 'customer' or 'nobody'; got 'us'"
    ]


def test_wrong_customer_type(run_cli, variant):
    path = variant(PERSONA, ("type: angry_caller", "type: grumpy"))
    (line,) = problem_lines(run_cli, path)
    assert line.startswith(f"{path}:4:7: type: expected one of 'aggressive', 'reserved_grumbler',")
    assert line.endswith("'undecided'; got 'grumpy'")


def test_number_out_of_range(run_cli, variant):
    path = variant(PERSONA, ("  mood: 70", "  mood: 170"))
    assert problem_lines(run_cli, path) == [
        f"{path}:27:9: temperament.mood: input should be less than or equal to 100; got 170"
    ]


def test_broken_template_syntax(run_cli, variant):
    path = variant(PERSONA, ("Where is order {{ facts.order }}?", "Where is order {{ facts.order ?"))
    assert problem_lines(run_cli, path) == [
        f"{path}:30:5: opening[0]: template syntax error: unexpected char '?' at 30 (template line 1)"
    ]


def test_template_with_unknown_fact(run_cli, variant):
    path = variant(PERSONA, ("Where is order {{ facts.order }}?", "Where is order {{ facts.parcel }}?"))
    assert problem_lines(run_cli, path) == [
        f"{path}:30:5: opening[0]: template uses an unknown name: 'dict object' has no attribute 'parcel'"
    ]


def test_fact_naming_an_unknown_fact(run_cli, variant):
    path = variant(PERSONA, ("order: PX-1001", "order: PX-1001 ({{ facts.parcel }})"))
    assert problem_lines(run_cli, path) == [
        f"{path}:15:12: scenario.facts.order: template uses an unknown name: 'dict object' has no attribute 'parcel'"
    ]

def test_missing_required_intent_points_at_lines(run_cli, variant):
    path = variant(PERSONA, ("  thank:\n    calm: [Thank you.]\n", ""))
    assert problem_lines(run_cli, path) == [f"{path}:31:1: lines: missing intents thank"]


def test_unknown_intent(run_cli, variant):
    path = variant(PERSONA, ("  thank:", "  thanks:"))
    (line,) = problem_lines(run_cli, path)
    assert line.startswith(f"{path}:44:3: lines.thanks: expected one of 'complain', 'demand',")
    assert line.endswith("got 'thanks' (did you mean 'thank'?)")


def test_duplicate_key(run_cli, variant):
    path = variant(PERSONA, ("difficulty: easy", "difficulty: easy\ndifficulty: hard"))
    assert problem_lines(run_cli, path) == [f"{path}:6:1: difficulty: duplicate key (first at line 5)"]


def test_yaml_one_point_one_surprises_stay_text(run_cli, variant):
    # `no` and `003` would be false and 3 in YAML 1.1; a trainer means the text.
    path = variant(PERSONA, ('source: "001"', "source: 003"), ("    angry: [Goodbye.]", "    angry: [no]"))
    assert run_cli("validate", str(path)).exit_code == 0


def test_empty_file(run_cli, tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert problem_lines(run_cli, path) == [f"{path}: the file is empty"]


def test_not_a_mapping(run_cli, tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    assert problem_lines(run_cli, path) == [f"{path}:1:1: expected a mapping of fields at the top level"]


def test_not_utf8(run_cli, tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Jürgen\n".encode("latin-1"))
    assert problem_lines(run_cli, path) == [f"{path}: not UTF-8 text (byte 7)"]


def test_missing_path(run_cli, tmp_path):
    path = tmp_path / "nowhere.yaml"
    assert problem_lines(run_cli, path) == [f"{path}: no such file or folder"]


def test_rubric_with_unknown_signal(run_cli, variant):
    path = variant("rubric_minimal.yaml", ("satisfied_by: [empathy]", "satisfied_by: [smile]"))
    (line,) = problem_lines(run_cli, path)
    assert line.startswith(f"{path}:10:20: criteria[0].satisfied_by[0]: expected one of 'empathy', 'apology',")
    assert line.endswith("; got 'smile'")


def test_rubric_criterion_without_english_tip(run_cli, variant):
    path = variant("rubric_minimal.yaml", ("      en: Name the feeling.", "      de: Gefühl benennen."))
    assert problem_lines(run_cli, path) == [
        f"{path}:11:5: criteria[0].tips: an 'en' tip is required (it is the fallback for other languages)"
    ]


def test_every_problem_in_a_file_is_reported(run_cli, variant):
    path = variant(PERSONA, ("fault: company", "fault: us"), ("  mood: 70", "  mood: 170"))
    assert len(problem_lines(run_cli, path)) == 2


def test_one_bad_persona_does_not_hide_the_others(run_cli, variant, tmp_path):
    variant(PERSONA)
    variant(PERSONA, ("id: test-parcel", "id: test-broken"), ("fault: company", "fault: us"), name="broken.yaml")
    result = run_cli("personas", "list", env={"TRAINER_PERSONAS": str(tmp_path)})
    assert result.exit_code == 0
    assert "test-parcel" in result.stdout
    assert "test-broken" not in result.stdout
    assert f"skipped: {tmp_path / 'broken.yaml'}:13:10: scenario.fault:" in result.stderr


def test_duplicate_persona_ids_are_reported(run_cli, variant, tmp_path):
    variant(PERSONA)
    variant(PERSONA, name="copy.yaml")
    result = run_cli("validate", str(tmp_path))
    assert result.exit_code == 1
    assert f"{tmp_path / 'persona_minimal.yaml'}: id: duplicate persona id (also in {tmp_path / 'copy.yaml'})" \
        in result.stderr


def test_source_must_describe_the_type(run_cli, variant):
    path = variant(PERSONA, ('source: "001"', 'source: "002"'))
    assert problem_lines(run_cli, path) == [
        f"{path}:6:9: source: the angry_caller type is described in '001' or '003', not '002'"
    ]
