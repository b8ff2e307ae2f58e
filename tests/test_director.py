"""How customers behave as their type (issue 16): facts keyed to topics, needs that test the right moves,
worse phrases that ignore negated and quoted forms, tolerance for one blunt reply, and the type reactions."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT
from trainer.content.library import load_library
from trainer.content.persona import HiddenFact, Need, NeedCheck, NeedExamples, Persona, WorseExamples
from trainer.content.vocabulary import Cue, CustomerType, Intent, Signal
from trainer.engine.director import Director, Outcome, reactions
from trainer.engine.rehearsal import example_problems
from trainer.scoring.detectors import detectors_for

LIBRARY = load_library(PROJECT / "personas")
BROADBAND = LIBRARY.personas["aggressive-broadband-outage"]


def with_scenario(persona: Persona, **changes) -> Persona:
    return persona.model_copy(update={"scenario": persona.scenario.model_copy(update=changes)})


def with_resolution(persona: Persona, **changes) -> Persona:
    return persona.model_copy(update={"resolution": persona.resolution.model_copy(update=changes)})


def with_temperament(persona: Persona, **changes) -> Persona:
    return persona.model_copy(update={"temperament": persona.temperament.model_copy(update=changes)})


def say(director: Director, text: str):
    reading = detectors_for(director.persona.language).read_trainee(text, [director.persona.scenario.problem])
    return director.react(text, reading)


TOPICAL = with_scenario(BROADBAND, hidden_facts=[
    HiddenFact(id="router_lights", line="The light goes orange.", topics=["light|lights|hub|router|led"]),
    HiddenFact(id="work_impact", line="I lost a client delivery.", topics=["work|job|business|affect"]),
])


def test_a_question_on_another_topic_reveals_nothing():
    director = Director(TOPICAL)
    director.opening()
    decision = say(director, "I understand how frustrating nine days is. Could you give me your account number?")
    assert decision.reveal is None


def test_a_question_on_a_facts_topic_reveals_that_fact_whatever_its_place_in_the_file():
    director = Director(TOPICAL)
    director.opening()
    decision = say(director, "Nine days without internet is awful. How has this affected your work?")
    assert decision.reveal is not None and decision.reveal.id == "work_impact"
    decision = say(director, "Thank you. And what does the light on the hub do?")
    assert decision.reveal is not None and decision.reveal.id == "router_lights"


def test_a_fact_that_waits_for_a_need_stays_hidden_until_it_is_met():
    persona = with_scenario(BROADBAND, hidden_facts=[
        HiddenFact(id="work_impact", line="I lost a client delivery.", topics=["work"], after_need="credit"),
    ])
    director = Director(persona)
    director.opening()
    assert say(director, "I'm so sorry. How has this affected your work?").reveal is None
    decision = say(director, "I'll put a credit of 30 pounds on your account today. Has it affected your work?")
    assert decision.reveal is not None and decision.reveal.id == "work_impact"


CONCRETE = with_resolution(BROADBAND, needs=[
    Need(id="visit", description="a visit with a time", signals=[Signal.commitment], requires=[NeedCheck.time]),
    Need(id="figure", description="how much credit", phrases=["credit"], requires=[NeedCheck.figure]),
    Need(id="why", description="why it keeps failing", requires=[NeedCheck.statement], without=[Signal.blame]),
    Need(id="open", description="asked what matters to them", requires=[NeedCheck.open_question]),
])


@pytest.mark.parametrize("text, met", [
    ("I'll update you.", set()),
    ("I'll book an engineer for Thursday between 8 and 10.", {"visit", "why"}),
    ("I'll look at a partial credit.", set()),
    ("I've added a credit of £45 to your account.", {"figure", "why"}),
    ("The fault is a damaged cable in the street cabinet, which is why the line keeps dropping.", {"why"}),
    ("You must have unplugged the hub yourself, which is why the line keeps dropping.", set()),
    ("Is that okay?", set()),
    ("What matters most to you right now?", {"open"}),
])
def test_needs_are_met_only_by_the_moves_they_name(text, met):
    director = Director(CONCRETE)
    reading = detectors_for(CONCRETE.language).read_trainee(text, [CONCRETE.scenario.problem])
    assert director.needs_met_by(text, reading) == met


@pytest.mark.parametrize("text, provoked", [
    ("Could you restart the hub for me?", True),
    ("You don't need to restart the hub again.", False),
    ('You said "I have restarted it five times", and I believe you.', False),
    ("There's no rush at all, take your time.", False),
    ("Please rush me the form.", True),
])
def test_worse_phrases_ignore_negated_quoted_and_excepted_forms(text, provoked):
    persona = with_resolution(BROADBAND, worse_phrases=["restart", "rush"], worse_exceptions=["no rush"])
    director = Director(persona)
    reading = detectors_for(persona.language).read_trainee(text, [persona.scenario.problem])
    assert director.provoked_by(text, reading) is provoked


BLUNT = "No. That's not my problem, you should have read the terms. Calm down!!"


@pytest.mark.parametrize("persona_id", sorted(LIBRARY.personas))
def test_one_blunt_reply_never_ends_a_call(persona_id):
    persona = LIBRARY.personas[persona_id]
    if persona.temperament.short_fuse:
        pytest.skip("this persona is written to leave at one blunt reply")
    director = Director(persona)
    director.opening()
    decision = say(director, BLUNT)
    assert decision.outcome is None, (persona_id, decision)
    assert director.state.trust < 50


def test_two_blunt_replies_in_a_row_can_end_it_and_a_short_fuse_ends_it_at_once():
    hot = with_temperament(BROADBAND, mood=85)
    director = Director(hot)
    director.opening()
    warning = say(director, BLUNT)
    assert warning.outcome is None and warning.intent in (Intent.threaten_to_leave, Intent.ask_for_manager)
    assert say(director, BLUNT).outcome is Outcome.left
    short = Director(with_temperament(hot, short_fuse=True))
    short.opening()
    assert say(short, BLUNT).outcome is Outcome.left


def test_an_angry_caller_may_vent_while_the_trainee_nods():
    persona = next(p for p in LIBRARY.personas.values() if p.type is CustomerType.angry_caller)
    director = Director(persona)
    director.opening()
    start = director.state.mood
    for _ in range(reactions().types[CustomerType.angry_caller].venting_turns):
        decision = say(director, "Mm-hm. Go on.")
        assert "-idle" not in decision.moves
    assert director.state.mood == start
    assert "-idle" in say(director, "Mm-hm. Go on.").moves, "after venting, nods alone try their patience"


def test_the_trainees_insult_provokes_the_customer():
    director = Director(BROADBAND)
    director.opening()
    decision = say(director, "Sorry about that, you muppet.")
    assert "-insult" in decision.moves
    assert decision.intent is not Intent.calm_down


def test_the_reactions_file_names_only_moves_the_director_knows():
    data = yaml.safe_load((PROJECT / "trainer" / "data" / "reactions.yaml").read_text(encoding="utf-8"))
    known = set(reactions().calming) | set(reactions().provoking)
    for rules in data["types"].values():
        assert set(rules.get("calming", {})) | set(rules.get("provoking", {})) <= known


def test_examples_that_do_not_do_what_they_say_are_reported_with_their_field():
    persona = with_resolution(CONCRETE, worse_phrases=["restart"], worse_examples=WorseExamples(
        provokes=["Please restart the hub.", "Please reboot it."], fine=["No need to restart anything."]))
    needs = list(persona.resolution.needs)
    needs[0] = needs[0].model_copy(update={"examples": NeedExamples(
        meets=["An engineer will come on Thursday at 9.", "I'll sort it."], misses=["I'll call you at 5 pm today."])})
    persona = with_resolution(persona, needs=needs)
    problems = example_problems(persona)
    assert [loc for loc, _ in problems] == [
        ("resolution", "needs", 0, "examples", "meets", 1),
        ("resolution", "needs", 0, "examples", "misses", 0),
        ("resolution", "worse_examples", "provokes", 1),
    ]
    assert "does not meet visit" in problems[0][1] and "time" in problems[0][1]


def test_validate_reports_a_failing_example_as_one_line_with_file_and_line(tmp_path: Path, run_cli):
    source = (PROJECT / "personas" / "en" / "aggressive-broadband-outage.yaml").read_text(encoding="utf-8")
    edited = source.replace("- \"I've booked an engineer for Thursday between 8 and 10.\"", '- "I hear you."', 1)
    assert edited != source
    path = tmp_path / "broadband.yaml"
    path.write_text(edited, encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.exit_code == 1
    (line,) = [x for x in result.stderr.splitlines() if "does not meet" in x]
    assert line.startswith(f"{path}:") and "resolution.needs[0].examples.meets[0]" in line
    assert "Traceback" not in result.stderr


def test_a_silent_customer_opens_up_to_open_questions_not_closed_ones():
    persona = LIBRARY.personas["silent-coffee-subscription"]
    closed, opened = Director(persona), Director(persona)
    closed.opening(), opened.opening()
    assert "question" not in say(closed, "Is the coffee arriving late?").moves
    assert "question" in say(opened, "What has been happening with your deliveries?").moves
    assert opened.state.mood < closed.state.mood


def test_a_serial_complainer_wants_the_apology_whoever_was_at_fault():
    persona = LIBRARY.personas["serial-complainer-fitness-tracker"]
    assert persona.scenario.fault.value != "company"
    complainer = Director(persona)
    other = Director(persona.model_copy(update={"type": CustomerType.aggressive}))
    complainer.opening(), other.opening()
    sorry = "I'm sorry."
    say(complainer, sorry), say(other, sorry)
    assert complainer.state.mood < other.state.mood


def test_a_calm_customer_thanks_the_trainee_for_the_move_that_met_a_need():
    persona = with_temperament(with_resolution(CONCRETE, needs=CONCRETE.resolution.needs[:2]), mood=20)
    director = Director(persona)
    director.opening()
    decision = say(director, "I've added a credit of £45 to your account.")
    assert decision.moves[-1] == "need:figure" and "need:visit" not in decision.moves
    assert decision.intent is Intent.thank


def test_a_need_may_forbid_a_cue_such_as_deflection():
    persona = with_resolution(BROADBAND, needs=[
        Need(id="owned", description="an apology that owns the fault", signals=[Signal.apology],
             without=[Cue.deflection]),
    ])
    director = Director(persona)
    for text, met in [("I'm so sorry, that was our mistake.", {"owned"}),
                      ("I'm so sorry, the courier's fault, not ours.", set())]:
        reading = detectors_for(persona.language).read_trainee(text, [persona.scenario.problem])
        assert director.needs_met_by(text, reading) == met, text


def test_a_line_that_presupposes_a_move_is_said_only_after_it():
    from trainer.content.persona import ConditionalLines, LineCondition
    from trainer.engine.actors import ScriptedActor

    thanks_for_credit = "Right, the credit's on. That's something."
    persona = with_resolution(BROADBAND, needs=[
        Need(id="credit", description="money back", phrases=["credit"]),
        Need(id="visit", description="a visit", signals=[Signal.commitment], requires=[NeedCheck.time]),
    ]).model_copy(update={"lines_when": [ConditionalLines(
        intent=Intent.calm_down, when=LineCondition(needs_met=["credit"]), lines=[thanks_for_credit])]})
    sorry = "I'm so sorry, nine days without internet is awful."
    for reply, expected in [(sorry, False), (sorry + " I've added a credit to your account.", True)]:
        director, actor = Director(persona), ScriptedActor(persona)
        director.opening()
        decision = say(director, reply)
        assert decision.intent is Intent.calm_down
        assert (actor.line(decision) == thanks_for_credit) is expected, reply


def test_a_line_condition_naming_an_unknown_need_is_a_validation_error(tmp_path: Path, run_cli):
    source = (PROJECT / "tests" / "fixtures" / "persona_minimal.yaml").read_text(encoding="utf-8")
    assert "lines_when" not in source
    path = tmp_path / "minimal.yaml"
    path.write_text(source + "lines_when:\n  - intent: calm_down\n    when: {needs_met: [no_such_need]}\n"
                    "    lines: [\"Good.\"]\n", encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.exit_code == 1 and "no need or hidden fact called no_such_need" in result.stderr


def test_a_line_may_call_the_trainee_by_first_name_and_reads_well_without_one():
    from tests.test_engine import RUBRIC, RUBRIC_PATH
    from trainer.engine.actors import ScriptedActor
    from trainer.engine.session import new_session

    persona = BROADBAND.model_copy(update={"opening": ["Right, {{ trainee or 'listen' }}. Nine days now."]})
    path = LIBRARY.paths[BROADBAND.id]
    for trainee, said in [("Ana Bērziņa", "Right, Ana. Nine days now."), ("", "Right, listen. Nine days now.")]:
        session = new_session(persona, path, RUBRIC, RUBRIC_PATH, ScriptedActor(persona), trainee=trainee)
        assert session.start().text == said


def test_a_line_for_the_turn_a_need_is_met_is_not_said_again_later():
    from trainer.content.persona import ConditionalLines, LineCondition
    from trainer.engine.actors import ScriptedActor

    just = "Oh. So it was me who typed it wrong."
    persona = with_resolution(BROADBAND, needs=[
        Need(id="explained", description="why", requires=[NeedCheck.statement]),
        Need(id="visit", description="a visit", signals=[Signal.commitment], requires=[NeedCheck.time]),
    ]).model_copy(update={"lines_when": [ConditionalLines(
        intent=Intent.calm_down, when=LineCondition(just_met=["explained"]), lines=[just])]})
    director, actor = Director(persona), ScriptedActor(persona)
    director.opening()
    first = say(director, "The line drops because the street cabinet has a damaged cable in it.")
    assert first.intent is Intent.calm_down and actor.line(first) == just
    later = say(director, "I'm so sorry, nine days without internet is really awful.")
    assert "explained" in later.needs_met
    assert actor.situational(dataclasses.replace(later, intent=Intent.calm_down)) == []
