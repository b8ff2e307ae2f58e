"""The model-voiced customer, against a real OpenAI-compatible server: within its time budget, in the customer's
voice, the same decisions as the scripted call, stoppable, and on record as the model's or the script's."""

from __future__ import annotations

import threading
import time

import pytest

from tests.openai_server import Behaviour, FakeOpenAI
from tests.test_engine import LIBRARY, persona_speaking, play, session_for
from trainer.config.settings import resolve_llm
from trainer.content.persona import Persona
from trainer.content.templates import render
from trainer.engine.actors import LLMActor, Notice, Piece, Restart, ScriptedActor, Voice
from trainer.engine.director import Decision
from trainer.engine.guard import VoiceGuard, agent_voice
from trainer.engine.session import CustomerTurn, Session
from trainer.engine.stoppable import StoppableActor
from trainer.llm import LLM

AGGRESSIVE = "aggressive-broadband-outage"
# Seven customer lines: the opening and six replies the aggressive customer sits through.
SIX = ["Tell me more.", "When did it start?", "What have you tried?", "Which router is it?",
       "Is anyone else affected?", "Anything else?"]


def llm_actor(persona: Persona, server: FakeOpenAI) -> LLMActor:
    settings = resolve_llm(base_url=server.base_url, model="fake-model")
    return LLMActor(persona, LLM(settings), ScriptedActor(persona, 0))


def events_of(session: Session, text: str) -> list:
    return list(session.reply(text))


def scripted_lines(persona: Persona) -> set[str]:
    context = ScriptedActor(persona, 0).context
    lines = {render(line, context) for bands in persona.lines.values() for lines in bands.values() for line in lines}
    return lines | {render(fact.line, context) for fact in persona.scenario.hidden_facts}


def first_reply_when_the_model_says(server: FakeOpenAI, language: str, line: str) -> list:
    """The events of the first customer reply in a call in `language` whose model always answers `line`."""
    persona = persona_speaking(language)
    server.default = Behaviour(reply=line)
    session = session_for(persona, llm_actor(persona, server))
    session.start()
    return events_of(session, "Hallo?")


def first_turn(server: FakeOpenAI, behaviour: Behaviour) -> CustomerTurn:
    """The aggressive customer's first reply when the model does `behaviour`."""
    persona = LIBRARY.personas[AGGRESSIVE]
    server.default = behaviour
    session = session_for(persona, llm_actor(persona, server))
    session.start()
    return events_of(session, "Hello?")[-1]


def call_of_seven_lines(server: FakeOpenAI) -> tuple[list[list], float]:
    """A whole call through the model: the events of each reply, and how long the call took."""
    persona = LIBRARY.personas[AGGRESSIVE]
    session = session_for(persona, llm_actor(persona, server))
    started = time.monotonic()
    session.start()
    replies = [events_of(session, reply) for reply in SIX]
    return replies, time.monotonic() - started


# ---- the same call, whoever voices it ---------------------------------------------------------


def test_model_and_script_follow_the_same_director_decisions(fake_openai):
    persona = LIBRARY.personas["de-kompensation-sofa-lieferung"]
    fake_openai.default = Behaviour(reply="Das ist doch unglaublich, ich will mein Geld zurück.")
    replies = ["Das tut mir leid. Was genau ist passiert?", "Nein, das geht nicht.",
               "Ich verstehe Ihren Ärger. Wir erstatten Ihnen die 89 Euro bis Freitag."]
    scripted = play(session_for(persona), replies)
    modelled = play(session_for(persona, llm_actor(persona, fake_openai)), replies)
    assert [t.decision for t in scripted] == [t.decision for t in modelled]
    assert modelled[1].text == "Das ist doch unglaublich, ich will mein Geld zurück."


# ---- the prompt ---------------------------------------------------------------------------------


def test_model_prompt_carries_persona_state_language_and_its_own_lines_as_examples(fake_openai):
    persona = LIBRARY.personas["de-kompensation-sofa-lieferung"]
    session = session_for(persona, llm_actor(persona, fake_openai))
    session.start()
    turn = events_of(session, "Was kann ich für Sie tun?")[-1]
    request = fake_openai.requests[0]
    assert request["stream"] is True
    system = request["messages"][0]["content"]
    assert "Speak only German" in system and persona.name in system and "never the agent" in system
    assert request["messages"][-1] == {"role": "user", "content": "Was kann ich für Sie tun?"}
    examples = ScriptedActor(persona, 0).examples(turn.decision)
    assert sum(f"- {line}" in system for line in examples[:4]) >= 2, "the persona's own lines show its voice"


def test_the_model_gets_a_hard_token_limit_stop_sequences_and_only_the_last_turns(fake_openai):
    persona = LIBRARY.personas[AGGRESSIVE]
    fake_openai.default = Behaviour(reply="Nine days. Nine.")
    session = session_for(persona, llm_actor(persona, fake_openai))
    session.start()
    for reply in SIX[:5]:
        events_of(session, reply)
    last = fake_openai.requests[-1]
    assert 0 < last["max_tokens"] <= 400
    assert "\n\n" in last["stop"] and len(last["stop"]) <= 4  # OpenAI takes at most four
    assert len(session.history) == 11 and len(last["messages"]) == 1 + 6
    assert last["messages"][-1] == {"role": "user", "content": SIX[4]}


def test_model_prompt_says_the_facts_not_their_templates(fake_openai):
    persona = LIBRARY.personas["de-kompensation-sofa-lieferung"]
    # A fact may name another fact, as lines do.
    facts = {**persona.scenario.facts, "summary": "{{ facts.delivery_fee }} für nichts bezahlt"}
    persona = persona.model_copy(update={"scenario": persona.scenario.model_copy(update={"facts": facts})})
    fake_openai.default = Behaviour(reply="Ja, genau so war das.")
    session = session_for(persona, llm_actor(persona, fake_openai))
    session.start()
    for question in ("Das tut mir leid. Was ist beim ersten Termin am Samstag passiert?",
                     "Verstehe. Und was war beim zweiten Termin am Dienstag?", "Wie kommen Sie auf die Summe?"):
        events_of(session, question)
    systems = [request["messages"][0]["content"] for request in fake_openai.requests]
    assert any("In this reply, tell the agent" in s for s in systems)
    assert any("already told the agent" in s for s in systems)
    for system in systems:
        assert "{{" not in system and "{%" not in system, system
    last = systems[-1]
    assert "Am Samstag, den 8. März hat keiner angerufen" in last  # a hidden fact, told earlier
    assert "summary: 89 € für nichts bezahlt" in last


# ---- the time budget --------------------------------------------------------------------------


@pytest.mark.parametrize("behaviour, why", [
    (Behaviour(stall=60), "sent nothing within 1 s"),
    (Behaviour(status=500), "answered 500"),
    (Behaviour(status=429, retry_after=0), "rate limiting (429)"),
    (Behaviour(cut_after=2, reply="one two three. four five"), "model unavailable"),
    (Behaviour(malformed=True, reply="one two three"), "model unavailable"),
])
def test_a_failing_endpoint_costs_one_wait_and_one_notice_then_the_call_goes_on_scripted(
    fake_openai, monkeypatch, behaviour, why
):
    monkeypatch.setenv("TRAINER_FIRST_TOKEN_TIMEOUT", "1")
    fake_openai.default = behaviour
    replies, took = call_of_seven_lines(fake_openai)
    notices = [e.text for events in replies for e in events if isinstance(e, Notice)]
    assert len(notices) == 1 and why in notices[0] and "rest of this call" in notices[0], notices
    turns = [events[-1] for events in replies]
    assert all(isinstance(t, CustomerTurn) and t.text in scripted_lines(LIBRARY.personas[AGGRESSIVE]) for t in turns)
    assert all(t.voice.by == "scripted" for t in turns)
    assert all("failed earlier in this call" in t.voice.why for t in turns[1:])
    assert len(fake_openai.requests) <= 3  # the first line's tries, within its budget; none after
    # The budget, not the server, decides the wait: a stalled endpoint costs the first-token deadline once.
    assert took < 1 + 4, took


def test_a_stream_that_breaks_after_a_sentence_was_shown_is_withdrawn_for_the_scripted_line(fake_openai):
    fake_openai.default = Behaviour(reply="Nine days. Nine whole days without a line.", cut_after=3)
    replies, _ = call_of_seven_lines(fake_openai)
    first = replies[0]
    pieces = [e for e in first if isinstance(e, (Piece, Restart))]
    assert [type(e) for e in pieces] == [Piece, Restart, Piece] and pieces[0].text == "Nine days."
    assert first[-1].text in scripted_lines(LIBRARY.personas[AGGRESSIVE]) and first[-1].voice.by == "scripted"


def test_with_default_settings_a_500_is_retried_inside_the_budget_and_the_call_is_not_held(fake_openai):
    fake_openai.default = Behaviour(status=500)
    replies, took = call_of_seven_lines(fake_openai)
    assert len(fake_openai.requests) == 3  # the first try and both retries fit in the five-second budget
    assert took < 10, took  # the target for a seven-line call against an endpoint that answers 500


def test_a_retry_that_fits_the_budget_gets_the_models_line(fake_openai):
    fake_openai.behaviours = [Behaviour(status=500), Behaviour(status=429, retry_after=0)]
    fake_openai.default = Behaviour(reply="Nine days, mate. Nine.")
    persona = LIBRARY.personas[AGGRESSIVE]
    session = session_for(persona, llm_actor(persona, fake_openai))
    session.start()
    events = events_of(session, "Hello?")
    assert events[-1].text == "Nine days, mate. Nine." and events[-1].voice == Voice("model")
    assert not any(isinstance(e, Notice) for e in events)


def test_a_retry_after_longer_than_the_budget_is_not_waited_for(fake_openai, monkeypatch):
    monkeypatch.setenv("TRAINER_FIRST_TOKEN_TIMEOUT", "2")
    fake_openai.behaviours = [Behaviour(status=429, retry_after=30)]
    fake_openai.default = Behaviour(reply="Nine days, mate.")
    persona = LIBRARY.personas[AGGRESSIVE]
    session = session_for(persona, llm_actor(persona, fake_openai))
    session.start()
    started = time.monotonic()
    events = events_of(session, "Hello?")
    assert time.monotonic() - started < 2
    assert len(fake_openai.requests) == 1 and events[-1].voice.by == "scripted"


def test_a_line_still_arriving_at_its_deadline_ends_at_its_last_sentence(fake_openai, monkeypatch):
    monkeypatch.setenv("TRAINER_LINE_TIMEOUT", "1.5")
    fake_openai.default = Behaviour(reply="Nine days. Nine whole days without internet. And nobody calls.", pace=0.3)
    persona = LIBRARY.personas[AGGRESSIVE]
    session = session_for(persona, llm_actor(persona, fake_openai))
    session.start()
    turn = events_of(session, "Hello?")[-1]
    assert turn.text == "Nine days."
    assert turn.voice.by == "model" and "longer than 1.5 s" in turn.voice.why


def test_the_next_call_tries_the_model_again(fake_openai, monkeypatch):
    monkeypatch.setenv("TRAINER_FIRST_TOKEN_TIMEOUT", "1")
    fake_openai.default = Behaviour(status=500)
    call_of_seven_lines(fake_openai)
    fake_openai.default = Behaviour(reply="Nine days, mate.")
    replies, _ = call_of_seven_lines(fake_openai)
    assert all(events[-1].voice == Voice("model") for events in replies)


# ---- the customer's voice ---------------------------------------------------------------------


def test_the_first_sentence_is_held_back_until_it_passes_then_each_sentence_streams(fake_openai):
    persona = LIBRARY.personas[AGGRESSIVE]
    fake_openai.default = Behaviour(reply="Nine days, mate. Nine. Do you hear me?")
    session = session_for(persona, llm_actor(persona, fake_openai))
    session.start()
    events = events_of(session, "Hello?")
    assert [e.text for e in events if isinstance(e, Piece)] == ["Nine days, mate.", " Nine.", " Do you hear me?"]


@pytest.mark.parametrize("language, line", [
    ("en", "I'm so sorry about your loss, but I'll be happy to help with that."),
    ("en", "I understand how frustrating this is, and I'll make sure an engineer calls you today."),
    ("en", "Thank you for calling Northwave, how can I help you today?"),
    ("de", "Das tut mir leid, ich verstehe Ihren Ärger, wir erstatten Ihnen die 89 Euro bis Freitag."),
    ("lv", "Atvainojos par sagādātajām neērtībām, es jums nosūtīšu kurjeru rīt."),
    ("pl", "Bardzo przepraszam za kłopot, jutro wyślemy do Pana technika."),
    ("ru", "Приношу извинения за неудобства, завтра к вам приедет мастер."),
    ("nl", "Het spijt me echt, ik begrijp uw frustratie, ik bel u morgen voor 12 uur terug."),
    ("en", "As an AI, I cannot really be upset."),
    ("en", "I\u2019m an AI, not a customer."),
    ("de", "Als KI kann ich das nicht beurteilen."),
    ("de", "Als KI-Sprachmodell habe ich keine Bestellung."),
    ("lv", "Es esmu valodas modelis, nevis klients."),
    ("pl", "Jako AI nie mam pralki."),
    ("ru", "Как ИИ, я не могу злиться."),
    ("nl", "Als AI kan ik geen bank bestellen."),
    ("nl", "Waarmee kan ik u helpen?"),
])
def test_a_model_talking_as_the_agent_or_an_ai_is_asked_again_then_replaced(fake_openai, language, line):
    events = first_reply_when_the_model_says(fake_openai, language, line)
    assert len(fake_openai.requests) == 2
    assert not any(isinstance(e, Piece) and e.text == line for e in events), "nothing of it reaches the screen"
    turn = events[-1]
    assert turn.text != line and turn.voice.by == "scripted" and "out of character" in turn.voice.why


@pytest.mark.parametrize("language, line", [
    ("de", "Das kenne ich schon als Kind nicht anders, immer dasselbe mit Ihnen."),
    ("nl", "Ik spaar als airmiles-lid al jaren bij u, en dan dit."),
    ("ru", "Терплю как Иисус, но всему есть предел."),
    ("en", "I'm an aide at a care home, I need that boiler."),
    ("en", "Okay. Sorry about before. It's been a long week."),
    ("pl", "Nie chcę „przepraszamy za niedogodności” z automatu."),
])
def test_a_customer_line_that_merely_contains_an_agents_words_is_kept(fake_openai, language, line):
    events = first_reply_when_the_model_says(fake_openai, language, line)
    assert events[-1].text == line and events[-1].voice == Voice("model")


def test_every_scripted_line_of_every_persona_passes_the_guard():
    """The guard knows what a customer sounds like: each persona's own words are in its voice and within its cap."""
    failed = []
    for persona in LIBRARY.personas.values():
        scripted = ScriptedActor(persona, 0)
        guard = VoiceGuard(scripted)
        for line in scripted_lines(persona):
            why = agent_voice(line, persona.language)
            if why is not None:
                failed.append(f"{persona.id}: {why}: {line}")
        for intent, bands in persona.lines.items():
            for band in bands:
                decision = Decision(intent, band, 50)
                for line in scripted.examples(decision):
                    if len(line.split()) > guard.cap(decision):
                        failed.append(f"{persona.id}: over the cap: {line}")
    assert not failed, "\n".join(failed)


@pytest.mark.parametrize("said, shown", [
    ('"Nine days. Nine!"', "Nine days. Nine!"),
    ("Customer: Nine days. Nine!", "Nine days. Nine!"),
    ("{name}: (smirks) Nine days. *sighs* Nine!", "Nine days. Nine!"),
    ("{first}: Nine days. Nine!", "Nine days. Nine!"),
    ("[angrily] Nine days, mate. Nine.", "Nine days, mate. Nine."),
])
def test_stage_directions_role_labels_and_quotes_are_cut_away(fake_openai, said, shown):
    persona = LIBRARY.personas[AGGRESSIVE]
    turn = first_turn(fake_openai, Behaviour(reply=said.format(name=persona.name, first=persona.name.split()[0])))
    assert turn.text == shown and turn.voice == Voice("model")


def test_a_line_that_turns_into_the_agent_ends_before_it(fake_openai):
    LIBRARY.personas[AGGRESSIVE]
    turn = first_turn(fake_openai, Behaviour(reply="Nine days, mate. Nine. Agent: I'm sorry, how can I help you?"))
    assert turn.text == "Nine days, mate. Nine."
    assert turn.voice.by == "model" and "cut at a sentence end" in turn.voice.why


def test_a_line_longer_than_the_persona_speaks_is_cut_at_a_sentence_end(fake_openai):
    persona = LIBRARY.personas[AGGRESSIVE]
    sentence = "I have been waiting for nine days and nobody has told me anything useful at all."
    fake_openai.default = Behaviour(reply=" ".join([sentence] * 12))
    session = session_for(persona, llm_actor(persona, fake_openai))
    session.start()
    turn = events_of(session, "Hello?")[-1]
    cap = VoiceGuard(ScriptedActor(persona, 0)).cap(turn.decision)
    assert turn.text.startswith(sentence) and len(turn.text.split()) <= cap
    assert "words this customer's lines run to" in turn.voice.why


def test_a_first_sentence_longer_than_the_persona_speaks_is_replaced(fake_openai):
    persona = LIBRARY.personas[AGGRESSIVE]
    turn = first_turn(fake_openai, Behaviour(reply=" ".join(["waiting"] * 200) + "."))
    assert turn.text in scripted_lines(persona) and "words this customer's lines run to" in turn.voice.why


# ---- stop means stop --------------------------------------------------------------------------


def test_stop_closes_the_models_request(fake_openai):
    persona = LIBRARY.personas[AGGRESSIVE]
    fake_openai.default = Behaviour(reply=" ".join(["Nine days."] * 40), pace=0.1)
    actor = StoppableActor(llm_actor(persona, fake_openai))
    session = session_for(persona, actor)  # type: ignore[arg-type]
    session.start()
    events = []

    def stop_when_the_customer_speaks() -> None:
        while not any(isinstance(e, Piece) for e in events):
            time.sleep(0.02)
        actor.stop()

    threading.Thread(target=stop_when_the_customer_speaks, daemon=True).start()
    for event in session.reply("Hello?"):
        events.append(event)
    stopped = time.monotonic()
    turn = events[-1]
    assert turn.text.startswith("Nine days.") and len(turn.text) < 40 * 11
    for _ in range(40):
        if fake_openai.hung_up:
            break
        time.sleep(0.05)
    assert fake_openai.hung_up and fake_openai.hung_up[0] - stopped < 1.5, "the server saw the request closed"


# ---- on record --------------------------------------------------------------------------------


def test_the_transcript_says_who_voiced_each_customer_line(fake_openai, tmp_path):
    from tests.transcripts import records

    persona = LIBRARY.personas[AGGRESSIVE]
    fake_openai.behaviours = [Behaviour(reply="Nine days, mate. Nine."),
                              Behaviour(reply="How can I help you?"), Behaviour(reply="How can I help you?")]
    fake_openai.default = Behaviour(status=500)
    session = session_for(persona, llm_actor(persona, fake_openai), transcripts=tmp_path)
    session.start()
    for reply in SIX[:3]:
        events_of(session, reply)
    session.end()
    assert session.writer is not None
    voices = [r["voice"] for r in records(session.writer.path) if r.get("role") == "customer"]
    assert [v["by"] for v in voices] == ["scripted", "model", "scripted", "scripted"]
    assert "opening" in voices[0]["why"]
    assert "out of character" in voices[2]["why"] and "how can i help" in voices[2]["why"]
    assert "answered 500" in voices[3]["why"]
