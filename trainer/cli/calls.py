"""Taking calls without the app: `trainer play`, and `trainer resume` for one that was cut off."""

from __future__ import annotations

import json
import sys

import click

from trainer.cli.output import load_rubric_or_fail
from trainer.config import locations
from trainer.content.library import load_library


@click.command()
@click.option("--persona", "persona_id", required=True, help="Persona id (see `trainer personas list`).")
@click.option("--replies", type=click.File("r", encoding="utf-8"), help="Trainee replies, one per line (default: stdin).")
@click.option("--backend", type=click.Choice(["scripted", "openai"]), default="scripted", show_default=True,
              help="Who voices the customer: the persona's own lines, or a model.")
@click.option("--seed", type=int, help="Practice only: the same seed, persona and replies give the same call "
              "(default: a fresh seed each call; an exam always draws a fresh one).")
@click.option("--mode", type=click.Choice(["practice", "exam"]), default="practice", show_default=True)
@click.option("--trainee", default="", envvar="TRAINER_TRAINEE",
              help="Trainee name or id, recorded in the transcript (default: TRAINER_TRAINEE).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object when the call ends.")
@click.option("--model", help="Model for --backend openai (default: TRAINER_MODEL, config, gpt-4o-mini).")
@click.option("--base-url", help="OpenAI-compatible endpoint (default: TRAINER_BASE_URL, OPENAI_BASE_URL).")
def play(
    persona_id: str, replies, backend: str, seed: int | None, mode: str, trainee: str, as_json: bool,  # type: ignore[no-untyped-def]
    model: str | None, base_url: str | None,
) -> None:
    """Play one call without the app: replies from a file or stdin, the customer's lines as they come.

    The transcript is saved under transcripts/ and the debrief printed at the
    end. Lines starting with / are commands: /end hangs up, /supervisor hands
    the call over. When the replies run out first, the call ends out of turns.

    \b
    Examples:
      trainer play --persona aggressive-broadband-outage
      trainer play --persona de-kompensation-sofa-lieferung --replies replies.txt --json
      trainer play --persona undecided-mobile-plan --backend openai --base-url http://127.0.0.1:11434/v1 --model llama3.2
    """
    from trainer.content.loader import load_rubric
    from trainer.engine.actors import LLMActor, ScriptedActor
    from trainer.engine.session import draw_seed, new_session

    library = load_library(locations.personas_dir())
    persona = library.get(persona_id)
    if persona is None:
        raise click.ClickException(f"no persona with id '{persona_id}' (see `trainer personas list`)")
    rubric_path = locations.default_rubric()
    rubric = load_rubric(rubric_path)
    seed = draw_seed(mode, seed)
    scripted = ScriptedActor(persona, seed)
    actor: ScriptedActor | LLMActor = scripted
    if backend == "openai":
        from trainer.config.settings import resolve_llm
        from trainer.llm import LLM

        actor = LLMActor(persona, LLM(resolve_llm(base_url=base_url, model=model)), scripted)
    session = new_session(
        persona, library.paths[persona.id], rubric, rubric_path, actor,
        seed=seed, mode=mode, trainee=trainee, transcripts=locations.transcripts_dir(),
    )
    say = (lambda *a, **k: None) if as_json else click.echo
    say(f"{persona.name} ({persona.type.value}, {persona.language.value}) is on the line. /end hangs up.\n")
    say(f"{persona.name}: {session.start().text}")
    converse(session, library, replies, as_json)


@click.command()
@click.argument("session_id")
@click.option("--replies", type=click.File("r", encoding="utf-8"), help="Trainee replies, one per line (default: stdin).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object when the call ends.")
@click.option("--model", help="Model for a session played with --backend openai (default: the one it used).")
@click.option("--base-url", help="OpenAI-compatible endpoint for such a session (default: TRAINER_BASE_URL, OPENAI_BASE_URL).")
def resume(session_id: str, replies, as_json: bool, model: str | None, base_url: str | None) -> None:  # type: ignore[no-untyped-def]
    """Continue an unfinished session where it stopped (after a crash, or a closed terminal).

    The recorded trainee turns are replayed through a fresh director, which
    gives the same customer state; then the call goes on like `trainer play`,
    appending to the same transcript. SESSION_ID is the file name without
    .jsonl (or a unique start of it, or the file's path); `trainer history
    --unfinished` lists them.

    \b
    Examples:
      trainer resume 20261128-101500-aggressive-broadband-outage-1a2b3c
      trainer resume 20261128-1015 --replies replies.txt
    """
    from trainer.engine.actors import LLMActor, ScriptedActor
    from trainer.engine.resume import find_session, open_unfinished, resume_session

    library = load_library(locations.personas_dir())
    transcript = open_unfinished(find_session(session_id, locations.transcripts_dir()))
    header = transcript.header
    persona = library.get(str(header.get("persona_id")))
    if persona is None:
        raise click.ClickException(
            f"cannot resume {transcript.session_id}: persona '{header.get('persona_id')}' is not in "
            f"{locations.personas_dir()}"
        )
    rubric, rubric_path = load_rubric_or_fail(None)
    scripted = ScriptedActor(persona, int(header.get("seed") or 0))
    actor: ScriptedActor | LLMActor = scripted
    if header.get("backend") == "openai":
        from trainer.config.settings import resolve_llm
        from trainer.llm import LLM

        chosen = model or str(header.get("model") or "") or None
        actor = LLMActor(persona, LLM(resolve_llm(base_url=base_url, model=chosen)), scripted)
    resumed = resume_session(transcript, persona, library.paths[persona.id], rubric, rubric_path, actor)
    session = resumed.session
    for note in resumed.notes:
        click.echo(f"note: {note}", err=True)
    say = (lambda *a, **k: None) if as_json else click.echo
    replies_so_far = sum(1 for role, _ in session.history if role == "trainee")
    say(f"Resuming {transcript.session_id}: {persona.name} ({persona.type.value}, {persona.language.value}), "
        f"{replies_so_far} {'reply' if replies_so_far == 1 else 'replies'} so far. /end hangs up.\n")
    if resumed.pending is not None:
        show_reply(persona.name, session.speak(resumed.pending), say)
    else:
        say(f"{persona.name}: {session.history[-1][1]}")
    converse(session, library, replies, as_json)


def converse(session, library, replies, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    """Read the trainee's replies until the call ends, show the customer's lines as they come, then the debrief.

    `trainer play` and `trainer resume` share it, so a resumed call goes on exactly as a new one would.
    """
    from trainer.content.templates import render_file
    from trainer.engine.director import Outcome
    from trainer.engine.handover import handover_line
    from trainer.scoring.debrief import build_debrief
    from trainer.wording import ending

    say = (lambda *a, **k: None) if as_json else click.echo
    interactive = replies is None and sys.stdin.isatty()
    source = replies or sys.stdin
    outcome: Outcome | None = None
    while not session.finished:
        if interactive:
            click.echo("you> ", nl=False)
        line = source.readline()
        if not line:
            outcome = Outcome.out_of_turns
            break
        text = line.strip()
        if not text:
            continue
        if text == "/end":
            outcome = Outcome.hung_up
            break
        if text == "/supervisor":
            text = handover_line(session.persona.language)
        if not interactive:
            say(f"you: {text}")
        show_reply(session.persona.name, session.reply(text), say)
    result = session.end(outcome)
    transcript = session.writer.path if session.writer else None
    if as_json:
        click.echo(json.dumps({
            "transcript": str(transcript), "outcome": session.outcome.value if session.outcome else None,
            "mood": session.moods, "score": result.score, "passed": result.passed,
        }, ensure_ascii=False))
        return
    click.echo(f"\nThe call ended: {session.outcome.value if session.outcome else 'unfinished'}. Transcript: {transcript}\n")
    report = build_debrief(result, library, session.moods)
    click.echo(render_file("debrief.md.j2", file=str(transcript), d=report, trainee=session.trainee,
                           ending=ending(session.outcome.value if session.outcome else None)))


def show_reply(name: str, events, say) -> None:  # type: ignore[no-untyped-def]
    """The customer's line as it streams; a retry starts the line again, notices go to stderr."""
    from trainer.engine.actors import Notice, Piece, Restart
    from trainer.engine.session import CustomerTurn

    say(f"{name}: ", nl=False)
    for event in events:
        if isinstance(event, Piece):
            say(event.text, nl=False)
        elif isinstance(event, Restart):
            say(f" [{event.reason}; again]", nl=False)
            say(f"\n{name}: ", nl=False)
        elif isinstance(event, Notice):
            click.echo(f"\nnotice: {event.text}", err=True)
        elif isinstance(event, CustomerTurn):
            say("")
