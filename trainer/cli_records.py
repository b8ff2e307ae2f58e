"""The `trainer` commands over saved sessions: keys, verify, history, resume, rescore, report, certify."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trainer import locations
from trainer.cli import cli, plural, write_output

if TYPE_CHECKING:
    from trainer.chain import Transcript
    from trainer.history import Skipped
    from trainer.rubric import Rubric

PROGRESS_FROM = 200  # files; fewer are read before a bar would be worth drawing


def read_folder(paths: tuple[Path, ...], label: str) -> tuple[list[Transcript], list[Skipped]]:
    """Read transcripts with a progress bar on stderr for long runs; bad files are listed on stderr afterwards."""
    from trainer.history import Skipped, read_each, transcript_files

    files, skipped = transcript_files(paths)
    transcripts: list[Transcript] = []
    with _progress(files, label) as each:
        for item in read_each(each):
            (skipped if isinstance(item, Skipped) else transcripts).append(item)  # type: ignore[arg-type]
    for item in skipped:
        click.echo(f"skipped: {item}", err=True)
    return transcripts, skipped


def _progress(files: list[Path], label: str):  # type: ignore[no-untyped-def]
    if len(files) < PROGRESS_FROM:
        return _Plain(files)
    return click.progressbar(files, label=label, file=sys.stderr, show_pos=True, width=30)


class _Plain:
    def __init__(self, items: list[Path]) -> None:
        self.items = items

    def __enter__(self) -> Iterator[Path]:
        return iter(self.items)

    def __exit__(self, *exc: object) -> None:
        return None


def load_rubric_or_fail(path: Path | None) -> tuple[Rubric, Path]:
    from trainer.loader import FileError, load_rubric

    path = path or locations.default_rubric()
    try:
        return load_rubric(path), path
    except FileError as exc:
        raise click.ClickException(str(exc)) from None


def _home() -> Path:
    from trainer.settings import home

    return home()


def _known_keys():  # type: ignore[no-untyped-def]
    from trainer.signing import known_keys

    keys, problems = known_keys(_home())
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)
    return keys


# ---- keys ----------------------------------------------------------------------------------------------


@click.group()
def keys() -> None:
    """Signing keys: exam transcripts are signed with this trainer's Ed25519 key.

    Keys live in TRAINER_HOME/keys: signing.key (private, mode 0600),
    signing.pub, and trusted/ for other trainers' public keys.
    """


@keys.command("init")
@click.option("--force", is_flag=True, help="Replace an existing key (its public half stays trusted).")
def keys_init(force: bool) -> None:
    """Create this trainer's signing key.

    \b
    Examples:
      trainer keys init
      trainer keys init --force
    """
    from trainer.signing import SigningKeyError, init_keys, keys_dir

    try:
        signer = init_keys(_home(), force=force)
    except SigningKeyError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {signer.key_id}: {signer.path} (private, mode 0600) "
               f"and {keys_dir(_home()) / 'signing.pub'}")


@keys.command("show")
def keys_show() -> None:
    """Show this trainer's public key (to give to whoever verifies) and the trusted keys.

    \b
    Example:
      trainer keys show > my-key.pub
    """
    from trainer.signing import SigningKeyError, load_signer, public_pem

    try:
        signer = load_signer(_home())
    except SigningKeyError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(public_pem(signer.private.public_key()).decode("ascii"), nl=False)
    click.echo(f"this key: {signer.key_id}", err=True)
    for key_id, public in _known_keys().items():
        if key_id != signer.key_id:
            click.echo(f"trusted:  {key_id} ({public.source})", err=True)


@keys.command("trust")
@click.argument("file", type=click.Path(path_type=Path))
def keys_trust(file: Path) -> None:
    """Trust another trainer's public key, so `trainer verify` accepts what it signed.

    \b
    Example:
      trainer keys trust anna-key.pub
    """
    from trainer.signing import SigningKeyError, read_public_key, trust_key

    try:
        public = read_public_key(file)
        target = trust_key(_home(), file.read_bytes())
    except SigningKeyError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"trusted {public.key_id}: {target}")


# ---- verify --------------------------------------------------------------------------------------------


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def verify(paths: tuple[Path, ...]) -> None:
    """Check transcripts: intact and signed by a known key, or where they were tampered with.

    One line per file: valid, or the first line that was changed, reordered,
    removed or cut off, or the unknown key it was signed with. Exam
    transcripts must be signed; practice ones are checked for an intact chain.
    The exit code is 1 when any file fails.

    \b
    Examples:
      trainer verify transcripts/
      trainer verify transcripts/20261128-101500-aggressive-broadband-outage-1a2b3c.jsonl
    """
    from trainer.history import transcript_files
    from trainer.verification import verify_file

    keys = _known_keys()
    files, skipped = transcript_files(paths)
    failed = len(skipped)
    for item in skipped:
        click.echo(f"{item.path}: FAILED: {item.reason}")
    results = []
    with _progress(files, "verifying") as each:
        for path in each:
            results.append(verify_file(path, keys))
    for result in results:
        if result.ok:
            click.echo(f"{result.path}: {result.message}")
        else:
            failed += 1
            click.echo(f"{result.path}: FAILED: {result.message}")
    total = len(results) + len(skipped)
    click.echo(f"{total - failed} of {plural(total, 'file')} verified; {failed} failed", err=True)
    if failed or not total:
        sys.exit(1)


# ---- history and resume --------------------------------------------------------------------------------


@click.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option("--trainee", help="Only this trainee's sessions.")
@click.option("--unfinished", is_flag=True, help="Only sessions that can be resumed.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
def history(folder: Path | None, trainee: str | None, unfinished: bool, as_json: bool) -> None:
    """List saved sessions, oldest first: who, which customer, how it ended, the score.

    FOLDER defaults to the transcripts folder. Unfinished sessions are listed
    as such; `trainer resume ID` continues one. Files that are not intact
    transcripts are reported on stderr and skipped.

    \b
    Examples:
      trainer history
      trainer history --unfinished
      trainer history transcripts/ --trainee "Ana Berzina" --json
    """
    from trainer.certification import same_trainee
    from trainer.history import summarise

    transcripts, _ = read_folder((folder or locations.transcripts_dir(),), "reading transcripts")
    rows = [summarise(t) for t in transcripts]
    rows = [s for s in rows if (trainee is None or same_trainee(s.trainee, trainee))
            and (not unfinished or not s.finished)]
    rows.sort(key=lambda s: (s.started, s.session_id))
    if as_json:
        click.echo(json.dumps([{
            "session": s.session_id, "file": str(s.path), "started": s.started, "trainee": s.trainee,
            "persona": s.persona_id, "mode": s.mode, "status": s.status, "score": s.score, "passed": s.passed,
            "signed": s.signed,
        } for s in rows], ensure_ascii=False, indent=2))
        return
    table = [(s.session_id, s.started[:16].replace("T", " "), s.trainee, s.persona_id, s.mode, s.status,
              "" if s.score is None else f"{s.score:.1f}", "signed" if s.signed else "") for s in rows]
    header = ("SESSION", "STARTED", "TRAINEE", "PERSONA", "MODE", "STATUS", "SCORE", "")
    widths = [max([len(h)] + [len(r[i]) for r in table]) for i, h in enumerate(header)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    for row in table:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    open_ = sum(1 for s in rows if not s.finished)
    tail = f"; {open_} unfinished: continue one with `trainer resume SESSION`" if open_ else ""
    click.echo(f"{plural(len(rows), 'session')}{tail}", err=True)


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
    from trainer.actors import LLMActor, ScriptedActor
    from trainer.cli import converse, show_reply
    from trainer.library import load_library
    from trainer.resume import find_session, open_unfinished, resume_session
    from trainer.settings import UserError

    library = load_library(locations.personas_dir())
    try:
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
            from trainer.llm import LLM
            from trainer.settings import resolve_llm

            chosen = model or str(header.get("model") or "") or None
            actor = LLMActor(persona, LLM(resolve_llm(base_url=base_url, model=chosen)), scripted)
        resumed = resume_session(transcript, persona, library.paths[persona.id], rubric, rubric_path, actor)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
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


# ---- rescore, report, certify --------------------------------------------------------------------------


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--rubric", "rubric_path", type=click.Path(path_type=Path), help="Rubric file (default: rubrics/default.yaml).")
def rescore(paths: tuple[Path, ...], rubric_path: Path | None) -> None:
    """Re-score saved sessions with the current or a new rubric, and show what changed.

    Per transcript: the score and pass/fail before and after, each criterion
    whose met/missed count changed, and each signal now found or no longer
    found in a trainee turn (after a phrase-list change). The transcripts
    are only read, never modified.

    \b
    Examples:
      trainer rescore transcripts/
      trainer rescore transcripts/ --rubric rubrics/strict.yaml
    """
    from trainer.loader import FileError
    from trainer.rescore import counts_text, rescore as rescore_one
    from trainer.scorer import Scorer

    rubric, _ = load_rubric_or_fail(rubric_path)
    transcripts, skipped = read_folder(paths, "re-scoring")
    scorer = Scorer(rubric)
    changed = unchanged = unfinished = 0
    for transcript in transcripts:
        try:
            result = rescore_one(transcript, scorer)
        except FileError as exc:
            click.echo(f"skipped: {exc.problems[0]}", err=True)
            continue
        name = transcript.path.name
        if not transcript.finished:
            unfinished += 1
            click.echo(f"{name}: unfinished ({result.new_score:.1f} so far)")
            continue
        if not result.changed:
            unchanged += 1
            click.echo(f"{name}: unchanged ({result.new_score:.1f})")
            continue
        changed += 1
        before = "–" if result.old_score is None else f"{result.old_score:.1f}"
        line = f"{name}: score {before} → {result.new_score:.1f}"
        if result.old_passed is not None and result.old_passed != result.new_passed:
            line += f", {_passed(result.old_passed)} → {_passed(result.new_passed)}"
        click.echo(line)
        for note in result.notes:
            click.echo(f"  {note}")
        for cid, old, new in result.criteria:
            click.echo(f"  {cid}: {counts_text(old)} → {counts_text(new)}")
        for index, signal, _was, now in result.signals:
            click.echo(f"  turn {index}: {signal} {'now found' if now else 'no longer found'}")
    open_ = f", {unfinished} unfinished" if unfinished else ""
    click.echo(f"{plural(changed + unchanged + unfinished, 'transcript')} re-scored with {rubric.id} v{rubric.version}: "
               f"{changed} changed, {unchanged} unchanged{open_}; the transcripts were not modified", err=True)


def _passed(value: bool) -> str:
    return "passed" if value else "not passed"


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--html", "html_out", type=click.Path(path_type=Path), help="Also write a self-contained HTML page with charts.")
@click.option("--csv", "csv_out", type=click.Path(path_type=Path), help="Also write one CSV row per trainee and criterion.")
@click.option("--rubric", "rubric_path", type=click.Path(path_type=Path), help="Rubric that names the criteria (default: rubrics/default.yaml).")
def report(paths: tuple[Path, ...], html_out: Path | None, csv_out: Path | None, rubric_path: Path | None) -> None:
    """A cohort report over saved sessions: per trainee and criterion, per persona.

    Per trainee: sessions, passes, average score, trend, weakest criteria;
    per criterion: met rate and trend (later sessions against earlier ones);
    per persona: pass rate and the customer's average mood at the end. It
    reads the verdicts recorded in the transcripts (`trainer rescore` scores
    them again). A progress bar shows on stderr for long runs; files that are
    not intact transcripts are reported there by name and skipped.

    \b
    Examples:
      trainer report transcripts/
      trainer report transcripts/ --html cohort.html --csv cohort.csv
    """
    from trainer.history import summarise
    from trainer.report import build_report, rate_bars, report_csv, score_line, trend_text
    from trainer.scorer import Scorer
    from trainer.templates import render_file

    rubric, _ = load_rubric_or_fail(rubric_path)
    transcripts, _ = read_folder(paths, "reading transcripts")
    scorer = Scorer(rubric)  # only for format 1 transcripts, which carry no totals
    result = build_report((summarise(t, scorer) for t in transcripts), {c.id: c.title for c in rubric.criteria})
    click.echo(render_file("report.md.j2", r=result, trend=trend_text))
    if csv_out is not None:
        write_output(csv_out, report_csv(result))
    if html_out is not None:
        charts = [{
            "scores": score_line(t.scores, rubric.pass_threshold),
            "criteria": rate_bars([(c.title, c.rate, f"{c.rate * 100:.0f}%") for c in t.criteria]),
        } for t in result.trainees]
        page = render_file(
            "report.html.j2", html=True, r=result, trend=trend_text, charts=charts,
            rubric=f"{rubric.id} v{rubric.version}",
            criteria_svg=rate_bars([(c.title, c.rate, f"{c.rate * 100:.0f}%") for c in result.criteria]),
            persona_svg=rate_bars([(p.id, p.pass_rate, f"{p.pass_rate * 100:.0f}%") for p in result.personas]),
        )
        write_output(html_out, page)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--trainee", required=True, help="The trainee's name or id, as recorded in the transcripts.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Where to write the certificate (default: certificate-NAME.html).")
@click.option("--rubric", "rubric_path", type=click.Path(path_type=Path), help="Rubric with the certification track (default: rubrics/default.yaml).")
def certify(paths: tuple[Path, ...], trainee: str, output: Path | None, rubric_path: Path | None) -> None:
    """Check a trainee against the rubric's certification track and write a certificate.

    Every requirement needs its own finished session in the track's mode
    (exam), signed by a known key and verified, that passes with the
    requirement's minimum score. The certificate is one self-contained HTML
    page listing the sessions, their scores and their verification. When a
    requirement is missing, says which and why, and exits 1.

    \b
    Examples:
      trainer certify --trainee "Ana Berzina" transcripts/
      trainer certify --trainee ana transcripts/ -o ana-certificate.html
    """
    import re
    from datetime import date

    from trainer.certification import assess, same_trainee
    from trainer.history import summarise
    from trainer.templates import render_file
    from trainer.verification import verify_transcript

    rubric, path = load_rubric_or_fail(rubric_path)
    track = rubric.certification
    if track is None:
        raise click.ClickException(f"{path}: the rubric has no certification track (add a `certification:` section)")
    keys = _known_keys() if track.signed else {}
    transcripts, _ = read_folder(paths, "reading transcripts")
    sessions = [(summarise(t), verify_transcript(t, keys)) for t in transcripts]
    outcome = assess(trainee, track, sessions)
    if not any(same_trainee(s.trainee, trainee) for s, _ in sessions):
        names = sorted({s.trainee for s, _ in sessions})
        known = f" (trainees there: {', '.join(names[:8])}{', …' if len(names) > 8 else ''})" if names else ""
        raise click.ClickException(f"no sessions for trainee '{trainee}'{known}")
    click.echo(f"{track.title}: {trainee}")
    for counted in outcome.counted:
        s = counted.session
        click.echo(f"  ✓ {counted.requirement.title}: {s.persona_id}, score {s.score:.1f} "
                   f"({counted.requirement.min_score:g} needed), {counted.verification.message}; {s.path.name}")
    for missing in outcome.missing:
        click.echo(f"  ✗ {missing.requirement.title}: {missing.why}")
    if not outcome.certified:
        raise click.ClickException(
            f"not certified: {len(outcome.missing)} of {plural(len(track.requirements), 'requirement')} missing"
        )
    slug = re.sub(r"[^a-z0-9]+", "-", trainee.casefold()).strip("-") or "trainee"
    target = output or Path(f"certificate-{slug}.html")
    page = render_file("certificate.html.j2", html=True, o=outcome, rubric=rubric, issued=date.today().isoformat())
    write_output(target, page)


for command in (keys, verify, history, resume, rescore, report, certify):
    cli.add_command(command)
