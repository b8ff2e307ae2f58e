"""Checks transcript files: intact and signed by a known key, or the first record where one was tampered with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainer.records.chain import Transcript, TranscriptProblem, read_transcript
from trainer.records.scope import sat_by
from trainer.records.signing import PublicKey, check_seal, check_signature
from trainer.records.store import FORMAT_VERSION

SEALED_FROM = 3  # the first format whose exams are sealed from the header on


@dataclass(frozen=True)
class Verification:
    """What `trainer verify` says about one file."""

    path: Path
    ok: bool
    message: str
    key: str = ""  # the signing key's id, when a known key signed it
    transcript: Transcript | None = None

    @property
    def signed(self) -> bool:
        return bool(self.key)

    @property
    def sealed(self) -> bool:
        """Signed, and sealed from its first record: the exam was this trainer's from the start."""
        return self.signed and self.transcript is not None and self.transcript.format >= SEALED_FROM


def verify_file(path: Path, keys: dict[str, PublicKey]) -> Verification:
    try:
        transcript = read_transcript(path, FORMAT_VERSION)
    except TranscriptProblem as exc:
        return Verification(path, False, str(exc))
    return verify_transcript(transcript, keys)


def verify_transcript(transcript: Transcript, keys: dict[str, PublicKey]) -> Verification:
    path, records = transcript.path, transcript.records
    if not transcript.chained:
        return Verification(path, False, "cannot be verified: format 1 was written before the hash chain",
                            transcript=transcript)
    for i, record in enumerate(records[:-1]):
        if record.get("type") == "signature":
            return Verification(path, False, f"line {i + 2} was added after the signature", transcript=transcript)
    signature = transcript.signature
    mode = transcript.mode
    sealed = mode == "exam" and transcript.format >= SEALED_FROM
    if sealed:
        # An exam cut off while a record was written is reported as unfinished below, not as unsealed.
        problem = seal_problem(transcript, keys, tail_ok=signature is None)
        if problem:
            return Verification(path, False, problem, transcript=transcript)
    if signature is not None:
        count = len(records) - 1
        problem = check_signature(signature, transcript.session_id, count, signature.get("prev"), keys)
        if problem:
            return Verification(path, False, problem, transcript=transcript)
        if not transcript.finished:
            return Verification(path, False, "signed, but the closing record is missing", transcript=transcript)
        if sealed and records[1].get("key") != signature["key"]:
            return Verification(path, False, f"sealed with {records[1].get('key')} but signed with "
                                f"{signature['key']}", transcript=transcript)
        message = f"valid: {mode}, signed by {signature['key']}"
        if mode == "exam" and not sealed:
            message += f" (format {transcript.format}: sealed only at its end, so it does not count for certify)"
        if transcript.resumed_at:
            message += ", resumed at line " + ", ".join(str(n) for n in transcript.resumed_at)
        return Verification(path, True, message + _sat_by(transcript), signature["key"], transcript)
    if mode == "exam":
        if transcript.finished:
            return Verification(path, False, "exam transcript is not signed", transcript=transcript)
        return Verification(
            path, False, f"unfinished or truncated after line {len(records)}: an exam transcript ends with a signature",
            transcript=transcript,
        )
    state = "finished" if transcript.finished else "unfinished"
    return Verification(path, True, f"intact: {mode}, {state}, not signed" + _sat_by(transcript), transcript=transcript)


def _sat_by(transcript: Transcript) -> str:
    """Who the classroom server had signed in for this call (its header, sealed in an exam), or nothing."""
    who = sat_by(transcript.header)
    if who is None:
        return ""
    role = transcript.header["proctored"].get("role", "trainee")
    return f", sat by {who} (signed in to the classroom as {role})"


def seal_problem(transcript: Transcript, keys: dict[str, PublicKey], tail_ok: bool = False) -> str | None:
    """Why a sealed transcript was not written, record by record, by one known key; None when it was.

    Every record from the header on is followed by a seal over the chain up to it,
    all by the same key; the closing signature needs no seal of its own. With
    `tail_ok`, a last record without its seal yet (the file cut off) is let pass.
    """
    records = transcript.records
    key = records[1].get("key") if len(records) > 1 and records[1].get("type") == "seal" else None
    if key is None:
        return "exam transcript is not sealed from its first record (line 2 should be a seal)"
    if key not in keys:
        return f"signed with an unknown key {key} (trust it with `trainer keys trust FILE`)"
    for i, record in enumerate(records):
        kind = record.get("type")
        if kind == "signature":
            continue
        following = records[i + 1] if i + 1 < len(records) else None
        if kind == "seal":
            if record.get("key") != key:
                return f"line {i + 1}: sealed with {record.get('key')}, the exam was sealed with {key}"
            problem = check_seal(record, transcript.session_id, i, keys)
            if problem:
                return f"line {i + 1}: {problem}"
        elif following is None and not tail_ok:
            return f"line {i + 1}, the last record, was never sealed (cut off as it was written, or added by hand)"
        elif following is not None and following.get("type") != "seal":
            return f"line {i + 1} was never sealed (written by something other than the exam)"
    return None
