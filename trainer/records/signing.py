"""Ed25519 signing keys for trainers, and signatures over a transcript's hash chain."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer.errors import UserError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PRIVATE_NAME = "signing.key"
PUBLIC_NAME = "signing.pub"
TRUSTED = "trusted"
ALGORITHM = "ed25519"
DOMAIN = b"trainer transcript signature v1\n"  # so a transcript signature can never be replayed as anything else
# A seal vouches that this trainer wrote every record up to it, as the exam went; never that the exam ended.
SEAL_DOMAIN = b"trainer transcript seal v1\n"


class SigningKeyError(UserError):
    """A signing key is missing, unreadable or not what it should be."""


def keys_dir(home: Path) -> Path:
    return home / "keys"


@dataclass(frozen=True)
class PublicKey:
    key: Ed25519PublicKey
    source: Path

    @property
    def key_id(self) -> str:
        return key_id(self.key)


@dataclass(frozen=True)
class Signer:
    """The trainer's own private key, ready to sign."""

    private: Ed25519PrivateKey
    path: Path

    @property
    def key_id(self) -> str:
        return key_id(self.private.public_key())

    def signature_record(self, session_id: str, count: int, chain: str) -> dict[str, Any]:
        """The closing record of a signed transcript: signs the session id, the record count and the last hash."""
        return self._signed("signature", DOMAIN, session_id, count, chain)

    def seal_record(self, session_id: str, count: int, chain: str) -> dict[str, Any]:
        """A seal written after each record of an exam, so a resumed exam can prove its first part was never edited."""
        return self._signed("seal", SEAL_DOMAIN, session_id, count, chain)

    def _signed(self, kind: str, domain: bytes, session_id: str, count: int, chain: str) -> dict[str, Any]:
        signature = self.private.sign(signed_bytes(session_id, count, chain, domain))
        return {"type": kind, "algorithm": ALGORITHM, "key": self.key_id, "records": count,
                "signature": base64.b64encode(signature).decode("ascii")}


def signed_bytes(session_id: str, count: int, chain: str | None, domain: bytes = DOMAIN) -> bytes:
    return domain + f"{session_id}\n{count}\n{chain}".encode()


def key_id(public: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return f"{ALGORITHM}:{hashlib.sha256(raw).hexdigest()[:16]}"


def public_pem(public: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def init_keys(home: Path, force: bool = False) -> Signer:
    """Create this trainer's key pair; an existing one is replaced only with `force`, and its public half kept as trusted."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    folder = keys_dir(home)
    private_path, public_path = folder / PRIVATE_NAME, folder / PUBLIC_NAME
    if private_path.exists() and not force:
        raise SigningKeyError(f"a signing key already exists: {private_path} (--force replaces it; "
                        "transcripts it signed keep verifying)")
    if private_path.exists():
        # Transcripts signed with the old key must still verify after it is replaced.
        try:
            old = load_signer(home).private.public_key()
            trust_key(home, public_pem(old))
        except SigningKeyError:
            pass  # an unreadable old key signed nothing we could check anyway
    folder.mkdir(parents=True, exist_ok=True)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # Written through a descriptor created 0600, so the key is never readable by others, not even briefly.
    tmp = private_path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    os.replace(tmp, private_path)
    public_path.write_bytes(public_pem(private.public_key()))
    return Signer(private, private_path)


def load_signer(home: Path) -> Signer:
    """This trainer's private key, or a one-line error saying what to do."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = keys_dir(home) / PRIVATE_NAME
    if not path.exists():
        raise SigningKeyError(f"no signing key in {path.parent}: run `trainer keys init` first")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SigningKeyError(f"{path} is readable by others (mode {mode:04o}): run `chmod 600 {path}`")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError, OSError) as exc:
        raise SigningKeyError(f"{path}: not a private key in the PEM form `trainer keys init` writes "
                              f"({_reason(exc)})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path}: not an Ed25519 key (run `trainer keys init --force` for a new one)")
    return Signer(key, path)


def read_public_key(path: Path) -> PublicKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except FileNotFoundError:
        raise SigningKeyError(f"{path}: no such file") from None
    except (ValueError, TypeError, OSError) as exc:
        raise SigningKeyError(f"{path}: not a public key in the PEM form `trainer keys show` prints "
                              f"({_reason(exc)})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"{path}: not an Ed25519 public key")
    return PublicKey(key, path)


def trust_key(home: Path, pem: bytes) -> Path:
    """Add a public key to the trusted ones, named by its id; returns where it went."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"not a PEM public key ({_reason(exc)})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError("not an Ed25519 public key")
    folder = keys_dir(home) / TRUSTED
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (key_id(key).replace(":", "-") + ".pub")
    target.write_bytes(public_pem(key))
    return target


def known_keys(home: Path) -> tuple[dict[str, PublicKey], list[str]]:
    """The public keys transcripts may be signed with: this trainer's own and the trusted ones; and unreadable files."""
    folder = keys_dir(home)
    keys: dict[str, PublicKey] = {}
    problems: list[str] = []
    candidates = [folder / PUBLIC_NAME] + sorted((folder / TRUSTED).glob("*.pub"))
    for path in candidates:
        if not path.exists():
            continue
        try:
            public = read_public_key(path)
        except SigningKeyError as exc:
            problems.append(str(exc))
            continue
        keys.setdefault(public.key_id, public)
    own = folder / PRIVATE_NAME
    if own.exists() and not (folder / PUBLIC_NAME).exists():
        problems.append(f"{folder / PUBLIC_NAME}: missing (run `trainer keys init --force` to make a new pair)")
    return keys, problems


def check_signature(record: dict[str, Any], session_id: str, count: int, chain: str | None,
                    keys: dict[str, PublicKey]) -> str | None:
    """Why a signature record does not vouch for the records before it, or None when it does."""
    if record.get("algorithm") != ALGORITHM:
        return f"signed with an unsupported algorithm {record.get('algorithm')!r}"
    public = keys.get(str(record.get("key")))
    if public is None:
        return f"signed with an unknown key {record.get('key')} (trust it with `trainer keys trust FILE`)"
    if record.get("records") != count:
        return f"truncated: the signature covers {record.get('records')} records, the file holds {count}"
    if not _verifies(public, record, signed_bytes(session_id, count, chain)):
        return "the signature does not match the records (changed after signing, or re-signed)"
    return None


def check_seal(record: dict[str, Any], session_id: str, count: int, keys: dict[str, PublicKey]) -> str | None:
    """Why a seal record does not vouch for the `count` records before it, or None when it does.

    The seal signs the hash of the record just before it (its own `prev`), which the
    chain ties to every earlier record.
    """
    public = keys.get(str(record.get("key")))
    if record.get("algorithm") != ALGORITHM or public is None:
        return f"sealed with an unknown key {record.get('key')} (trust it with `trainer keys trust FILE`)"
    if record.get("records") != count:
        return f"its seal covers {record.get('records')} records, not the {count} before it"
    if not _verifies(public, record, signed_bytes(session_id, count, record.get("prev"), SEAL_DOMAIN)):
        return "its seal does not match (changed after it was written, or sealed by someone else)"
    return None


def _verifies(public: PublicKey, record: dict[str, Any], message: bytes) -> bool:
    """Whether the record's base64 `signature` is `public`'s signature of `message`."""
    from cryptography.exceptions import InvalidSignature

    try:
        public.key.verify(base64.b64decode(str(record.get("signature", "")), validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def _reason(exc: Exception) -> str:
    """cryptography's message, without the link to its FAQ: the last word is the useful part."""
    text = str(exc).split("\n")[0].split(" See https://")[0].strip().rstrip(".")
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return text or type(exc).__name__
