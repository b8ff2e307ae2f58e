"""Every persona in the library, played three ways: a diplomatic call built from its own examples, a call of
nods, and (for the silent ones) a call of closed questions. Each persona file is also its own test."""

from __future__ import annotations

import pytest

from tests.conftest import PROJECT
from tests.test_engine import example, play, session_for
from trainer.content.library import load_library
from trainer.content.persona import Persona
from trainer.content.vocabulary import CustomerType, Intent
from trainer.engine.director import Outcome, reactions
from trainer.engine.rehearsal import example_problems
from trainer.engine.session import CustomerTurn

LIBRARY = load_library(PROJECT / "personas")
PERSONAS = sorted(LIBRARY.personas)
NODS = {"en": "Mm-hm.", "de": "Mhm.", "lv": "Mhm.", "pl": "Mhm.", "ru": "Угу.", "nl": "Hm-hm."}


@pytest.mark.parametrize("persona_id", PERSONAS)
def test_every_need_and_worse_phrase_carries_examples_that_hold(persona_id):
    persona = LIBRARY.personas[persona_id]
    for need in persona.resolution.needs:
        assert need.examples.meets and need.examples.misses, f"{need.id} has no examples"
    if persona.resolution.worse_phrases:
        assert persona.resolution.worse_examples.provokes and persona.resolution.worse_examples.fine
    assert example_problems(persona) == []


def diplomatic(persona: Persona):
    """Empathy first, then one need a turn in the persona's own words (its first `meets` example)."""
    needs = persona.resolution.needs
    language = persona.language

    def reply(last: CustomerTurn, index: int) -> str | None:
        if index > len(needs) + 2:
            return None
        parts = []
        if last.decision.intent is Intent.insult:
            parts.append(example("boundary_after_abuse", language))
        if index == 0:
            parts.append(example("empathy_first_reply", language))
        if last.decision.intent is Intent.ask_for_manager:
            parts.append(example("escalate_when_asked", language))
        parts.append(needs[index % len(needs)].examples.meets[0])
        return " ".join(parts)

    return reply


@pytest.mark.parametrize("persona_id", PERSONAS)
def test_a_diplomatic_call_in_the_personas_own_words_never_drives_them_away(persona_id):
    persona = LIBRARY.personas[persona_id]
    session = session_for(persona)
    play(session, diplomatic(persona))
    assert session.outcome not in (Outcome.left, Outcome.ended_after_boundary), (session.outcome, session.moods)
    assert session.director.state.needs_met, "the persona's own examples meet its needs in a call too"
    assert min(session.moods) < session.moods[0] or session.moods[0] < persona.temperament.accept_below


@pytest.mark.parametrize("persona_id", PERSONAS)
def test_nods_alone_never_settle_a_call_and_the_customer_warns_before_giving_up(persona_id):
    persona = LIBRARY.personas[persona_id]
    session = session_for(persona)
    turns = play(session, [NODS[persona.language.value]] * (persona.temperament.patience + 2))
    assert session.outcome is not Outcome.resolved
    intents = [t.decision.intent for t in turns]
    if session.outcome in (Outcome.left, Outcome.out_of_turns) and len(turns) > 3:
        assert Intent.threaten_to_leave in intents[:-1], intents
    venting = reactions().types.get(persona.type)
    if venting is not None and venting.venting_turns:
        assert session.moods[venting.venting_turns] == session.moods[0], "nods while they vent cost nothing"
    else:
        assert session.moods[-1] >= session.moods[0]


@pytest.mark.parametrize("persona_id", [p for p in PERSONAS if LIBRARY.personas[p].type is CustomerType.silent])
def test_a_silent_customer_tells_nothing_to_closed_questions(persona_id):
    persona = LIBRARY.personas[persona_id]
    closed = {"en": "Is it about the delivery?", "de": "Geht es um die Lieferung?",
              "lv": "Vai tas ir par piegādi?", "pl": "Czy chodzi o dostawę?",
              "ru": "Это насчёт доставки?", "nl": "Gaat het om de levering?"}[persona.language.value]
    session = session_for(persona)
    turns = play(session, [closed] * 4)
    assert not [t for t in turns if t.decision.reveal is not None]
