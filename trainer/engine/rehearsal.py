"""A persona file is its own test: every example under a need or the worse phrases is played through the director."""

from __future__ import annotations

from trainer.content.loader import Loc
from trainer.content.persona import Persona
from trainer.engine.director import Director
from trainer.scoring.detectors import detectors_for


def example_problems(persona: Persona) -> list[tuple[Loc, str]]:
    """Each example that does not do what it says, with its field path and why."""
    director = Director(persona)
    detectors = detectors_for(persona.language)
    context = [persona.scenario.problem, *persona.scenario.facts.values()]
    problems: list[tuple[Loc, str]] = []

    def met(text: str) -> set[str]:
        return director.needs_met_by(text, detectors.read_trainee(text, context))

    for i, need in enumerate(persona.resolution.needs):
        for j, text in enumerate(need.examples.meets):
            if need.id not in met(text):
                problems.append((("resolution", "needs", i, "examples", "meets", j),
                                 f"does not meet {need.id}: {_why(director, need.id)}"))
        for j, text in enumerate(need.examples.misses):
            if need.id in met(text):
                problems.append((("resolution", "needs", i, "examples", "misses", j), f"meets {need.id}, but should not"))
    worse = persona.resolution.worse_examples
    for j, text in enumerate(worse.provokes):
        if not director.provoked_by(text, detectors.read_trainee(text, context)):
            problems.append((("resolution", "worse_examples", "provokes", j), "no worse phrase is found in it"))
    for j, text in enumerate(worse.fine):
        if director.provoked_by(text, detectors.read_trainee(text, context)):
            problems.append((("resolution", "worse_examples", "fine", j), "a worse phrase is found in it"))
    return problems


def _why(director: Director, need_id: str) -> str:
    need = next(n for n in director.persona.resolution.needs if n.id == need_id)
    parts = []
    if need.signals:
        parts.append("signals " + ", ".join(s.value for s in need.signals))
    if need.phrases:
        parts.append("one of its phrases")
    if need.requires:
        parts.append(", ".join(c.value for c in need.requires))
    if need.without:
        parts.append("none of " + ", ".join(s.value for s in need.without))
    return "it needs " + "; ".join(parts)
