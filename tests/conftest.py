from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
DATASETS = ROOT.parent / "shared" / "datasets"


@pytest.fixture(scope="session")
def seed_dirs() -> list[Path]:
    return sorted(p for p in SEEDS.iterdir() if p.is_dir())


def dataset(name: str) -> Path:
    """A ../shared/datasets folder, or skip the test when this machine does not have it."""
    path = DATASETS / name
    if not (path / "manifest.jsonl").is_file():
        pytest.skip(f"dataset {name} not unpacked at {path} (sh ../shared/datasets/unpack.sh)")
    return path


# Vietnamese tone marks, which windows-1258 writes as combining characters after the vowel.
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_windows_1258(text: str) -> bytes:
    """Encode Vietnamese the way windows-1258 pages do: base letters precomposed with their
    shape marks (â, ơ, ư ...), tone marks as separate combining characters."""
    import unicodedata

    out = []
    for ch in text:
        try:
            out.append(ch.encode("windows-1258"))
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        shape = "".join(c for c in decomposed if c not in _TONE_MARKS)
        tones = "".join(c for c in decomposed if c in _TONE_MARKS)
        out.append((unicodedata.normalize("NFC", shape) + tones).encode("windows-1258"))
    return b"".join(out)


def run_cli(argv, stdin_bytes=None, monkeypatch=None):
    """Run the ``cleaner`` command in-process: (exit code, stdout, stderr)."""
    import io

    from cleaner.cli import main

    out, err = io.StringIO(), io.StringIO()
    if stdin_bytes is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin_bytes)))
    code = main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()
