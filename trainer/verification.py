"""Checks transcript files: intact and signed by a known key, or the first record where one was tampered with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainer.chain import Transcript, TranscriptProblem, read_transcript
from trainer.signing import PublicKey, check_signature
from trainer.store import FORMAT_VERSION


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
    if signature is not None:
        count = len(records) - 1
        problem = check_signature(signature, transcript.session_id, count, signature.get("prev"), keys)
        if problem:
            return Verification(path, False, problem, transcript=transcript)
        if not transcript.finished:
            return Verification(path, False, "signed, but the closing record is missing", transcript=transcript)
        return Verification(path, True, f"valid: {mode}, signed by {signature['key']}", signature["key"], transcript)
    if mode == "exam":
        if transcript.finished:
            return Verification(path, False, "exam transcript is not signed", transcript=transcript)
        return Verification(
            path, False, f"unfinished or truncated after line {len(records)}: an exam transcript ends with a signature",
            transcript=transcript,
        )
    state = "finished" if transcript.finished else "unfinished"
    return Verification(path, True, f"intact: {mode}, {state}, not signed", transcript=transcript)
