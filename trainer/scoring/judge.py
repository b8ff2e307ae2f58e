"""The optional LLM judge: a second opinion on criteria the rubric marks for it, kept beside the detectors' verdicts."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from trainer.content.templates import render_file
from trainer.llm import LLM, LLMError
from trainer.scoring.scorer import SessionScore, Status

_BARE_ANSWER = re.compile(r"\b(yes|no)\b", re.IGNORECASE)


@dataclass(frozen=True)
class JudgeVerdict:
    turn: int
    criterion: str
    status: Status | None  # None: the model's answer could not be read
    reason: str
    model: str


def judge_session(session: SessionScore, llm: LLM) -> tuple[list[JudgeVerdict], list[str]]:
    """Ask the model about every judged criterion on every turn where it applies.

    Returns the verdicts and the errors met; an endpoint failure never stops
    scoring and never changes the detectors' verdicts or the score.
    """
    system = render_file("judge.system.j2", language=session.language.value)
    criteria = {c.id: c for c in session.rubric.criteria if c.judge}
    verdicts: list[JudgeVerdict] = []
    errors: list[str] = []
    customer_before = ""
    for turn in session.turns:
        if turn.role.value == "customer":
            customer_before = turn.text
            continue
        for verdict in turn.verdicts:
            criterion = criteria.get(verdict.criterion)
            if criterion is None or verdict.status is Status.not_applicable:
                continue
            data = {"customer": customer_before, "trainee_reply": turn.text, "question": criterion.judge_question}
            messages = [
                {"role": "system", "content": system},
                {"role": "user", "content": json.dumps(data, ensure_ascii=False)},
            ]
            try:
                answer = llm.complete(messages, temperature=0)
            except LLMError as exc:
                errors.append(f"turn {turn.index}, {criterion.id}: {exc}")
                if len(errors) >= 3:  # the endpoint is down; don't hammer it for every turn
                    errors.append("judge stopped after three failures")
                    return verdicts, errors
                continue
            verdicts.append(_read(answer, turn.index, criterion.id, llm.model))
    return verdicts, errors


def _read(answer: str, turn: int, criterion: str, model: str) -> JudgeVerdict:
    found = _answer_object(answer)
    if found is not None:
        word = str(found["answer"]).strip().lower()
        reason = str(found.get("reason", "")) or answer.strip()[:200]
    else:
        # No JSON with an answer: the model ignored the format, so take its first bare yes or no.
        bare = _BARE_ANSWER.search(answer)
        word = bare.group(1).lower() if bare else ""
        reason = answer.strip()[:200]
    if word not in ("yes", "no"):
        return JudgeVerdict(turn, criterion, None, f"unreadable answer: {answer.strip()[:120]}", model)
    return JudgeVerdict(turn, criterion, Status.met if word == "yes" else Status.missed, reason, model)


def _answer_object(answer: str) -> dict[str, object] | None:
    """The first JSON object in the answer that has an `answer` key, wherever prose or a fence puts it."""
    decoder = json.JSONDecoder()
    start = answer.find("{")
    while start != -1:
        try:
            value, _ = decoder.raw_decode(answer, start)
        except json.JSONDecodeError:
            value = None
        if isinstance(value, dict) and "answer" in value:
            return value
        start = answer.find("{", start + 1)
    return None
