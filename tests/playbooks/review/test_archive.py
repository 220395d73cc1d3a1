"""Issue 12, items 11 and 12: exports carry the audit chain's signed head; `archive verify` refuses forgeries."""

from __future__ import annotations

import hashlib
import json
import os
import tracemalloc
import warnings
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from crisisdesk.cli import main
from playbooks.review import bundlewriter, exports
from playbooks.workflow import audit, incidents, signing


@pytest.fixture
def bundle(engine, team, tmp_path: Path) -> Path:
    incident = incidents.open_incident(engine, title="Brand i Östmark", by="lars", playbook_name="fire-smoke")
    path = tmp_path / "bundle.zip"
    path.write_bytes(bundlewriter.bundle(engine, incident, with_pdf=False))
    return path


def _rewrite(src: Path, dst: Path, change) -> None:
    """Copy a bundle member by member; `change(name, data)` returns (name, data) or None to drop it."""
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w") as b, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about duplicate names
        for name in a.namelist():
            for out in change(name, a.read(name)) or []:
                b.writestr(*out)


def test_every_export_carries_the_signed_head(engine, team, bundle: Path) -> None:
    incident = incidents.list_incidents(engine)[0].incident.id
    doc = exports.document(engine, incident)
    cp = doc["audit"]["checkpoint"]
    assert cp["head"] == audit.verify(engine).head == doc["audit"]["chain_head"]
    assert signing.verify(cp["public_key"], cp["signature"], audit.checkpoint_message(cp["seq"], cp["head"]))
    assert cp["public_key"] == signing.load().public_b64
    assert cp["signature"] in exports.to_markdown(doc) and cp["signature"] in exports.to_html(doc)
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["audit_checkpoint"]["signature"] == cp["signature"]
        assert set(archive.namelist()) >= {"manifest.json", "manifest.sig"}
    assert exports.verify_archive(bundle) == []


def test_an_edited_file_with_a_recomputed_manifest_is_refused(bundle: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(bundle) as a:
        review = a.read("review.json").replace(b"Brand", b"Brant")
        manifest = json.loads(a.read("manifest.json"))
    manifest["files"]["review.json"] = hashlib.sha256(review).hexdigest()
    forged = tmp_path / "forged.zip"
    _rewrite(bundle, forged, lambda n, d: [(n, review if n == "review.json" else
                                            json.dumps(manifest, indent=2) if n == "manifest.json" else d)])  # fmt: skip
    (problem,) = exports.verify_archive(forged)
    assert problem.startswith("manifest.json: its signature does not verify with this desk's key")
    assert main(["archive", "verify", str(forged)]) == 1


def test_an_unsigned_manifest_or_one_signed_with_another_key_is_refused(bundle: Path, tmp_path: Path) -> None:
    unsigned = tmp_path / "unsigned.zip"
    _rewrite(bundle, unsigned, lambda n, d: [] if n == "manifest.sig" else [(n, d)])
    assert exports.verify_archive(unsigned) == ["manifest.sig is missing: the manifest is not signed"]
    other = signing.Key(Path("/nonexistent"), Ed25519PrivateKey.generate())
    resigned = tmp_path / "resigned.zip"
    with zipfile.ZipFile(bundle) as a:
        manifest = a.read("manifest.json")
    _rewrite(
        bundle,
        resigned,
        lambda n, d: [(n, other.sign(exports.MANIFEST_CONTEXT + manifest) if n == "manifest.sig" else d)],
    )
    (problem,) = exports.verify_archive(resigned)
    assert "does not verify with this desk's key" in problem


@pytest.mark.parametrize(
    ("name", "why"),
    [("../evil.sh", "'..'"), ("/etc/cron.d/x", "absolute"), ("csv/../../x", "'..'"), ("C:/x", "absolute"),
     ("a\\..\\x", "backslash"), ("./x", "'.'"), ("a//b", "empty")],
)  # fmt: skip
def test_unsafe_member_names_are_refused(bundle: Path, tmp_path: Path, name: str, why: str) -> None:
    bad = tmp_path / "bad.zip"
    _rewrite(bundle, bad, lambda n, d: [(n, d), (name, b"x")] if n == "review.md" else [(n, d)])
    (problem,) = exports.verify_archive(bad)
    assert problem.startswith(f"{name!r}: unsafe member name") and why in problem


def test_duplicate_member_names_are_refused(bundle: Path, tmp_path: Path) -> None:
    bad = tmp_path / "dup.zip"
    _rewrite(bundle, bad, lambda n, d: [(n, d), (n, d.replace(b"Brand", b"Brant"))] if n == "review.md" else [(n, d)])
    assert exports.verify_archive(bad) == ["'review.md': more than one member has this name"]


@pytest.mark.parametrize(
    "manifest",
    [b"not json", b"[1, 2]", b'{"files": []}', b'{"files": {"review.md": 7}}', b'{"files": {"../x": "' + b"0" * 64 + b'"}}',
     b"[" * 100_000, b'{"files": {"review.md": "zz"}}', b"\xff\xfe"],
)  # fmt: skip
def test_malformed_manifests_are_one_problem(bundle: Path, tmp_path: Path, manifest: bytes, capsys) -> None:
    bad = tmp_path / "bad.zip"
    _rewrite(bundle, bad, lambda n, d: [(n, manifest if n == "manifest.json" else d)])
    (problem,) = exports.verify_archive(bad)
    assert problem.startswith("manifest.json is malformed")
    assert main(["archive", "verify", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_a_large_member_is_hashed_in_bounded_memory(engine, team, tmp_path: Path, monkeypatch) -> None:
    """A 1 GiB member (zeros, so the file is small) verifies with far less than 1 GiB allocated."""
    monkeypatch.setattr(exports, "_BOMB_RATIO", 10**6)  # zeros keep the file small; the bomb test is below
    key = signing.load()
    big = tmp_path / "big.zip"
    digest = hashlib.sha256()
    block = b"\0" * (4 * 1024 * 1024)
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("posts/entries.jsonl", "w", force_zip64=True) as member:
            for _ in range(256):
                member.write(block)
                digest.update(block)
        manifest = json.dumps({"files": {"posts/entries.jsonl": digest.hexdigest()}}).encode()
        archive.writestr("manifest.json", manifest)
        archive.writestr("manifest.sig", key.sign(exports.MANIFEST_CONTEXT + manifest))
    tracemalloc.start()
    try:
        assert exports.verify_archive(big) == []
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB for a 1 GiB member"


def test_a_bundle_that_would_unpack_to_more_than_any_bundle_is_not_read(
    bundle: Path, tmp_path: Path, monkeypatch
) -> None:
    # Its members were hashed whatever their size, even under a forged signature: 100 GB of zeros took minutes.
    monkeypatch.setattr(exports, "_LARGE_MEMBER", 4 * 1024 * 1024)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bundle) as a, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as b:
        for name in a.namelist():
            b.writestr(name, a.read(name))
        b.writestr("zeros.bin", bytes(5 * 1024 * 1024))
    (problem,) = exports.verify_archive(bomb)
    assert problem.startswith("'zeros.bin' would unpack from ") and problem.endswith(
        "more than 200 times: a zip bomb, not a bundle; not read"
    )
    # A large member of real text (which deflates a few times, not a thousand) is read and hashed.
    large = tmp_path / "large.zip"
    with zipfile.ZipFile(bundle) as a, zipfile.ZipFile(large, "w", zipfile.ZIP_DEFLATED) as b:
        for name in a.namelist():
            b.writestr(name, a.read(name))
        b.writestr("posts/more.jsonl", os.urandom(3 * 1024 * 1024).hex().encode())
    assert all("zip bomb" not in p for p in exports.verify_archive(large))
