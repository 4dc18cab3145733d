"""The speed benchmark's stage profile, on the seed pages (no anchors needed)."""
import shutil

from training import speed


def test_stage_profile_times_every_stage_of_the_pipeline(tmp_path, seed_dirs):
    for seed in seed_dirs:
        shutil.copy(seed / "page.txt", tmp_path / f"{seed.name}.txt")
    clock = speed.stage_worker(tmp_path, limit=0)
    assert set(clock) == set(speed.STAGES)
    assert all(ms >= 0 for ms in clock.values())
    assert clock["segment"] > 0 and clock["predict"] > 0


def test_stage_table_gives_each_stage_its_share_of_the_total(tmp_path, seed_dirs, monkeypatch):
    fake = {"decode": 1.0, "segment": 4.0, "featurize": 2.0, "predict": 2.0, "revise+assemble": 1.0}
    monkeypatch.setattr(speed, "spawn", lambda args: (__import__("json").dumps(fake), 0.0))
    table = speed.stages_table(tmp_path, limit=10, runs=3)
    assert "| segment | 4.00 | 40% |" in table
    assert table.splitlines()[-1] == "| total | 10.00 | |"
