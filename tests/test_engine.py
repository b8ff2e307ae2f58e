"""The director and the actors: state in code, the same decisions whoever speaks, and every persona playable."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, PROJECT
from trainer.content.library import load_library
from trainer.content.loader import load_rubric
from trainer.content.persona import Persona
from trainer.content.vocabulary import CustomerType, Fault, Intent, Language
from trainer.engine.actors import ScriptedActor
from trainer.engine.director import Outcome
from trainer.engine.session import CustomerTurn, Session, new_session

LIBRARY = load_library(PROJECT / "personas")
RUBRIC_PATH = PROJECT / "rubrics" / "default.yaml"
RUBRIC = load_rubric(RUBRIC_PATH)
TRAINEES = yaml.safe_load((FIXTURES / "trainees.yaml").read_text(encoding="utf-8"))
EXAMPLES = {c.id: c for c in RUBRIC.criteria}


def session_for(persona: Persona, actor=None, seed: int = 0, transcripts: Path | None = None) -> Session:
    actor = actor or ScriptedActor(persona, seed)
    return new_session(persona, LIBRARY.paths[persona.id], RUBRIC, RUBRIC_PATH, actor,
                       seed=seed, transcripts=transcripts)


def play(session: Session, replies) -> list[CustomerTurn]:
    """Feed replies (a list, or a function of the last customer turn) until the call ends."""
    turns = [session.start()]
    index = 0
    while not session.finished:
        reply = replies(turns[-1], index) if callable(replies) else (replies[index] if index < len(replies) else None)
        if reply is None:
            break
        turns.append([e for e in session.reply(reply) if isinstance(e, CustomerTurn)][0])
        index += 1
    return turns


def example(criterion: str, language: Language) -> str:
    return EXAMPLES[criterion].example_in(language)


def restatement(persona: Persona) -> str:
    """The rubric's paraphrase opener with the specifics it asks for: the first sentence of the persona's problem."""
    opener = example("paraphrase_before_solution", persona.language).split("[")[0].strip()
    first_sentence = re.split(r"(?<=[.!?])\s", persona.scenario.problem.strip())[0]
    return f"{opener} {first_sentence}"


def good_trainee(persona: Persona):
    """A trainee who does what the guidance says, adapting to what the customer just did."""
    language = persona.language

    def reply(last: CustomerTurn, index: int) -> str:
        parts = []
        if last.decision.intent is Intent.insult:
            parts.append(example("boundary_after_abuse", language))
        if index % 3 == 0:  # a stock phrase is not said again within two turns
            parts.append(example("empathy_first_reply", language))
            if persona.scenario.fault is Fault.company:
                parts.append(example("apology_when_at_fault", language))
        parts.append(restatement(persona))
        parts.append(example("ask_questions", language))
        if last.decision.intent is Intent.ask_for_manager or persona.type is CustomerType.supervisor_demander:
            parts.append(example("escalate_when_asked", language))
        parts.append(example("concrete_resolution", language))
        parts.append(" ".join(need.phrases[0] for need in persona.resolution.needs if need.phrases))
        if persona.scenario.fault is Fault.company:
            parts.append(example("compensation_when_due", language))
        if persona.type in (CustomerType.refused_request, CustomerType.know_it_all, CustomerType.customer_at_fault):
            parts.append(example("explain_why", language))  # the others hear "rules" as an excuse
        if index % 3 == 1:
            parts.append(example("thanks_and_close", language))
        return " ".join(p for p in parts if p)

    return reply


@pytest.mark.parametrize("persona_id", sorted(LIBRARY.personas))
def test_good_trainee_calms_every_persona_within_patience(persona_id):
    persona = LIBRARY.personas[persona_id]
    session = session_for(persona)
    play(session, good_trainee(persona))
    expected = Outcome.escalated if persona.type is CustomerType.supervisor_demander else Outcome.resolved
    assert session.outcome is expected, (session.outcome, session.moods, session.director.state.needs_met)
    assert session.director.state.turns_used <= persona.temperament.patience
    assert session.moods[-1] < session.moods[0] or session.moods[0] < persona.temperament.accept_below


@pytest.mark.parametrize("persona_id", sorted(LIBRARY.personas))
def test_bad_trainee_makes_every_persona_escalate_or_leave(persona_id):
    persona = LIBRARY.personas[persona_id]
    session = session_for(persona)
    bad = TRAINEES["bad"][persona.language.value]
    play(session, [bad] * 40)
    assert session.outcome is Outcome.left, (session.outcome, session.moods)
    assert max(session.moods) > session.moods[0]


def test_every_language_is_in_the_whole_library_tests():
    assert {p.language for p in LIBRARY.personas.values()} == set(Language)


def test_same_persona_seed_and_replies_give_the_same_call():
    persona = LIBRARY.personas["aggressive-broadband-outage"]
    replies = ["I see. What happened?", "That sounds frustrating.", "No, I can't do that."]
    first = play(session_for(persona, seed=7), replies)
    second = play(session_for(persona, seed=7), replies)
    assert [(t.text, t.decision) for t in first] == [(t.text, t.decision) for t in second]


def test_injection_in_a_reply_does_not_resolve_the_call():
    persona = LIBRARY.personas["aggressive-broadband-outage"]
    session = session_for(persona)
    play(session, [TRAINEES["injection"]["en"]] * 3)
    assert session.outcome is not Outcome.resolved
    assert session.director.state.needs_met == set()


def test_scripted_actor_does_not_repeat_a_line_while_an_unused_one_fits():
    persona = LIBRARY.personas["aggressive-broadband-outage"]
    actor = ScriptedActor(persona, seed=3)
    session = session_for(persona, actor)
    decision = session.director.opening()
    complaints = persona.lines[Intent.complain][decision.band]
    said = [actor.line(decision) for _ in complaints]
    assert len(set(said)) == len(complaints)


def test_hidden_facts_come_out_in_order_when_asked():
    persona = LIBRARY.personas["aggressive-broadband-outage"]
    session = session_for(persona)
    turns = play(session, ["I understand how frustrating this is. What does the light on the hub do?",
                           "Thanks. What else happened?"])
    reveals = [t.decision.reveal.id for t in turns if t.decision.reveal]
    assert reveals == [f.id for f in persona.scenario.hidden_facts[: len(reveals)]]
    assert reveals, "asking questions reveals what the customer knows"


def test_a_boundary_stops_the_insults_until_the_trainee_provokes_again():
    """Guidance 000: the textbook boundary makes an abusive customer back off; ignoring it after a relapse ends it."""
    persona = LIBRARY.personas["abusive-boiler-no-show"]
    session = session_for(persona)
    boundary = example("boundary_after_abuse", Language.en)
    turns = play(session, [boundary])
    assert turns[-1].decision.intent is not Intent.insult
    turns = play_on(session, ["Well, you should have read the terms. Calm down!!"])
    assert turns[-1].decision.intent is Intent.insult, "a further bad move brings the insults back"
    play_on(session, [boundary])
    assert session.outcome is Outcome.ended_after_boundary


def play_on(session: Session, replies: list[str]) -> list[CustomerTurn]:
    """Feed more replies to a call already started."""
    return [[e for e in session.reply(r) if isinstance(e, CustomerTurn)][0] for r in replies]


def test_transcript_is_written_turn_by_turn_and_scoreable(tmp_path, run_cli):
    persona = LIBRARY.personas["aggressive-broadband-outage"]
    session = session_for(persona, transcripts=tmp_path)
    play(session, ["I understand your frustration. When did it start?"])
    path = session.writer.path
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["type"] for r in records] == ["header", "turn", "turn", "turn"]  # nothing waits for the end
    assert records[0]["persona_id"] == persona.id and records[0]["format"] == 4
    assert records[0]["persona_hash"].startswith("sha256:")
    session.end()
    result = run_cli("score", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    (scored,) = json.loads(result.stdout)
    assert scored["turns"][1]["signals"]["empathy"] is True


def persona_speaking(language: str) -> Persona:
    return next(p for p in LIBRARY.personas.values() if p.language.value == language)


# ---- trainer play ----------------------------------------------------------------------------


def test_play_json_reports_outcome_mood_and_score(run_cli, tmp_path):
    replies = tmp_path / "replies.txt"
    replies.write_text("No, that's impossible. You're wrong, I already told you. CALM DOWN!!!\n" * 10, encoding="utf-8")
    result = run_cli("play", "--persona", "aggressive-broadband-outage", "--replies", str(replies), "--json",
                     env={"TRAINER_TRANSCRIPTS": str(tmp_path / "t")})
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"transcript", "outcome", "mood", "score", "passed"}
    assert data["outcome"] == "left" and data["passed"] is False
    assert data["mood"][0] == 80 and data["mood"][-1] >= 95
    assert Path(data["transcript"]).parent == tmp_path / "t"


def test_play_prints_the_call_and_the_debrief(run_cli, tmp_path):
    replies = tmp_path / "replies.txt"
    replies.write_text("I understand how frustrating this is. What happened?\n/end\n", encoding="utf-8")
    result = run_cli("play", "--persona", "aggressive-broadband-outage", "--replies", str(replies),
                     env={"TRAINER_TRANSCRIPTS": str(tmp_path)})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Gary Whitlock (aggressive, en) is on the line.")
    assert "you: I understand how frustrating this is. What happened?" in result.stdout
    assert "The call ended: hung_up." in result.stdout
    assert "# Debrief:" in result.stdout


@pytest.mark.parametrize("language, handover", [
    ("de", "Selbstverständlich, ich hole meine Teamleitung gleich dazu."),
    ("lv", "Protams, es tūlīt pieaicināšu savu vadītāju."),
    ("pl", "Oczywiście, już łączę Państwa z moim przełożonym."),
    ("ru", "Конечно, я сейчас подключу к разговору своего руководителя."),
    ("nl", "Natuurlijk, ik haal mijn leidinggevende er nu bij."),
    ("en", "Of course, I'll bring my supervisor in now."),
])
def test_supervisor_hands_over_in_the_customers_language(run_cli, tmp_path, language, handover):
    replies = tmp_path / "replies.txt"
    replies.write_text("/supervisor\n/end\n", encoding="utf-8")
    result = run_cli("play", "--persona", persona_speaking(language).id, "--replies", str(replies),
                     env={"TRAINER_TRANSCRIPTS": str(tmp_path)})
    assert result.exit_code == 0, result.stderr
    assert f"you: {handover}" in result.stdout


def test_play_unknown_persona(run_cli):
    result = run_cli("play", "--persona", "nobody")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no persona with id 'nobody' (see `trainer personas list`)"
