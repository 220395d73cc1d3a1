"""The desk's Ed25519 key: it signs the audit chain's head (checkpoints) and archive manifests.

The key is a file outside the database (`core.config.audit_key_path`), created on first use with mode
0600, so someone who can rewrite the database still cannot sign a head the desk never had.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from core.config import audit_key_path


class SigningError(RuntimeError):
    """The key cannot be read or created."""


@dataclass(frozen=True)
class Key:
    path: Path
    private: Ed25519PrivateKey

    @property
    def public_raw(self) -> bytes:
        return self.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public_raw).decode("ascii")

    @property
    def key_id(self) -> str:
        return key_id(self.public_raw)

    def sign(self, data: bytes) -> str:
        return base64.b64encode(self.private.sign(data)).decode("ascii")


def key_id(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


_cache: dict[tuple[str, int, int], Key] = {}


def load(path: Path | None = None, *, create: bool = True) -> Key:
    """The key at `path` (default: the configured one); created (0600, folder 0700) when `create` and absent."""
    path = path or audit_key_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        if not create:
            raise SigningError(f"no signing key at {path} (set CRISISDESK_AUDIT_KEY to the desk's key)") from None
        _create(path)
        stat = path.stat()
    except OSError as exc:
        raise SigningError(f"cannot read the signing key {path}: {exc.strerror or exc}") from exc
    cache_key = (str(path), stat.st_mtime_ns, stat.st_ino)
    if cache_key in _cache:
        return _cache[cache_key]
    try:
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise SigningError(f"cannot read the signing key {path}: {exc}") from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise SigningError(f"{path} is not an Ed25519 private key")
    key = Key(path, private)
    _cache[cache_key] = key
    return key


def _create(path: Path) -> None:
    """Write a new key under a temporary name and link it into place: of two processes, one key wins."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        fd, tmp = tempfile.mkstemp(prefix=".key-", dir=path.parent)  # mkstemp: mode 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process created it first: use theirs
        finally:
            os.unlink(tmp)
    except OSError as exc:
        raise SigningError(f"cannot create the signing key {path}: {exc.strerror or exc}") from exc


def verify(public_b64_or_raw: str | bytes, signature_b64: str, data: bytes) -> bool:
    try:
        raw = (
            public_b64_or_raw
            if isinstance(public_b64_or_raw, bytes)
            else base64.b64decode(public_b64_or_raw, validate=True)
        )
        public = Ed25519PublicKey.from_public_bytes(raw)
        public.verify(base64.b64decode(signature_b64, validate=True), data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
