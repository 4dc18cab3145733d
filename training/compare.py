"""Compare two trained models, and their blend, on the same pages (a step towards issue 3).

    python -m training.compare A.joblib B.joblib ../shared/datasets/l3s-gn1 fixtures/seeds

For each folder: mean token F1 of model A, model B, and the geometric mean of their
probabilities. Every variant uses the same context rules and A's threshold (chosen by A's own
grouped cross-validation on its training sources; nothing here is tuned on these folders).
"""
from __future__ import annotations

import argparse
import sys
from statistics import mean

import numpy as np

from cleaner.api import Cleaner
from cleaner.features import with_lexical_columns
from cleaner.model import load_model
from cleaner.postprocess import assemble, revise
from training.data import read_sources
from training.metrics import token_score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.compare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model_a")
    parser.add_argument("model_b")
    parser.add_argument("folders", nargs="+")
    args = parser.parse_args(argv)
    a, b = load_model(args.model_a), load_model(args.model_b)
    cleaner = Cleaner(a)
    threshold = a.threshold
    print(f"| folder | pages | A F1 | B F1 | geometric blend F1 (threshold {threshold}) |\n|---|---|---|---|---|")
    for folder in args.folders:
        scores: dict[str, list[float]] = {"a": [], "b": [], "blend": []}
        examples = read_sources([folder])
        for ex in examples:
            prepared = cleaner.prepare(ex.page, ex.input_format)
            # Each model reads the lexical columns from its own lexicon.
            pa = a.predict_proba(prepared.features)
            pb = b.predict_proba(with_lexical_columns(prepared.features, prepared.page, b.lexicon))
            for name, proba in (("a", pa), ("b", pb), ("blend", np.sqrt(pa * pb))):
                text = assemble(prepared.page, revise(prepared.page, proba, threshold))
                scores[name].append(token_score(text, ex.gold).f1)
        print(f"| {folder} | {len(examples)} | {mean(scores['a']):.3f} | {mean(scores['b']):.3f} | "
              f"{mean(scores['blend']):.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
