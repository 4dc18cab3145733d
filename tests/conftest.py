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
