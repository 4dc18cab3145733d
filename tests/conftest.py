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


from training.badinput import to_windows_1258  # noqa: E402,F401  (shared with the bad-input table)


def run_cli(argv, stdin_bytes=None, monkeypatch=None):
    """Run the ``cleaner`` command in-process: (exit code, stdout, stderr)."""
    import io

    from cleaner.cli import main

    out, err = io.StringIO(), io.StringIO()
    if stdin_bytes is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin_bytes)))
    code = main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()
