"""The commands over saved sessions: keys, verify, history, rescore, report, certify."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from trainer.cli.output import load_rubric_or_fail, progress, read_folder, write_output
from trainer.config import locations
from trainer.wording import plural


def _home() -> Path:
    from trainer.config.settings import home

    return home()


def _known_keys():  # type: ignore[no-untyped-def]
    from trainer.records.signing import known_keys

    keys, problems = known_keys(_home())
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)
    return keys


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
    from trainer.records.signing import init_keys, keys_dir

    signer = init_keys(_home(), force=force)
    click.echo(f"created {signer.key_id}: {signer.path} (private, mode 0600) "
               f"and {keys_dir(_home()) / 'signing.pub'}")


@keys.command("show")
def keys_show() -> None:
    """Show this trainer's public key (to give to whoever verifies) and the trusted keys.

    \b
    Example:
      trainer keys show > my-key.pub
    """
    from trainer.records.signing import load_signer, public_pem

    signer = load_signer(_home())
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
    from trainer.records.signing import read_public_key, trust_key

    public = read_public_key(file)
    target = trust_key(_home(), file.read_bytes())
    click.echo(f"trusted {public.key_id}: {target}")


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
    from trainer.records.history import transcript_files
    from trainer.records.verification import verify_file

    keys = _known_keys()
    files, skipped = transcript_files(paths)
    failed = len(skipped)
    for item in skipped:
        click.echo(f"{item.path}: FAILED: {item.reason}")
    results = []
    with progress(files, "verifying") as each:
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
    from trainer.records.certification import same_trainee
    from trainer.records.history import summarise

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
    from trainer.content.loader import FileError
    from trainer.records.rescore import counts_text
    from trainer.records.rescore import rescore as rescore_one
    from trainer.scoring.scorer import Scorer

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
    from trainer.content.templates import render_file
    from trainer.records.history import summarise
    from trainer.records.report import build_report, rate_bars, report_csv, score_line, trend_text
    from trainer.scoring.scorer import Scorer

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

    from trainer.content.templates import render_file
    from trainer.records.certification import assess, same_trainee
    from trainer.records.history import summarise
    from trainer.records.verification import verify_transcript

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
