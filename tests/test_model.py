import json
import shutil
import subprocess
import sys

import pytest

from cleaner.model import PACKAGED_MODEL, ModelError, load_model, sidecar_path


def copy_model(tmp_path):
    target = tmp_path / "m.joblib"
    shutil.copyfile(PACKAGED_MODEL, target)
    shutil.copyfile(sidecar_path(PACKAGED_MODEL), sidecar_path(target))
    return target


def test_packaged_model_loads_with_its_threshold_and_provenance():
    model = load_model()
    assert 0.0 < model.threshold < 1.0
    names = {s["name"] for s in model.sidecar["sources"]}
    assert "seeds" in names
    assert not names & {"l3s-gn1", "dragnet", "cleaneval", "cleanportaleval"}


def test_a_modified_model_file_is_refused_before_loading(tmp_path):
    target = copy_model(tmp_path)
    with target.open("ab") as fh:
        fh.write(b"tampered")
    with pytest.raises(ModelError, match="sha256"):
        load_model(target)


def test_a_model_for_other_features_is_refused(tmp_path):
    target = copy_model(tmp_path)
    side = json.loads(sidecar_path(target).read_text())
    side["feature_names"] = side["feature_names"][:-1]
    sidecar_path(target).write_text(json.dumps(side))
    with pytest.raises(ModelError, match="other features"):
        load_model(target)


def test_missing_files_are_clear_errors(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "nope.joblib")
    target = copy_model(tmp_path)
    sidecar_path(target).unlink()
    with pytest.raises(ModelError, match="sidecar"):
        load_model(target)


def test_a_model_from_another_scikit_learn_version_loads_with_a_warning(tmp_path):
    target = copy_model(tmp_path)
    side = json.loads(sidecar_path(target).read_text())
    side["sklearn_version"] = "0.0.1"
    sidecar_path(target).write_text(json.dumps(side))
    with pytest.warns(UserWarning, match="scikit-learn 0.0.1, running"):
        load_model(target)


def test_verifying_the_model_does_not_import_scikit_learn():
    # A parallel batch's parent verifies the model before its workers start and never predicts:
    # importing scikit-learn there delayed every worker by most of a second.
    code = "import sys; from cleaner.model import verify_model; verify_model(); print('sklearn' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_model_can_go_without_named_context_rules_and_an_unknown_rule_is_refused(tmp_path):
    from cleaner import Cleaner

    target = copy_model(tmp_path)
    side = json.loads(sidecar_path(target).read_text())
    side["rules_off"] = ["drop_comment_threads"]
    sidecar_path(target).write_text(json.dumps(side))
    page = ("<html><body><article><h1>Harbour repairs begin</h1>"
            + "".join(f"<p>The harbour wall will be rebuilt in stages over {n} years, the council said on Monday "
                      f"after a long consultation with fishermen and residents.</p>" for n in range(2, 6))
            + "</article><div class='comments'><div class='comment'><p>Finally! The council has talked about "
            "this wall for years, and the fishermen have waited long enough for it.</p></div></div></body></html>")
    # Every block passes threshold 0, so only the rules decide: the comment rule cuts the reply.
    assert "Finally!" not in Cleaner(threshold=0.0).clean(page)
    assert "Finally!" in Cleaner(target, threshold=0.0).clean(page)
    side["rules_off"] = ["no_such_rule"]
    sidecar_path(target).write_text(json.dumps(side))
    with pytest.raises(ModelError, match="no_such_rule"):
        load_model(target)
