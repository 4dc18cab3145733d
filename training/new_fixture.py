"""Start a labelled page: the page as scraped plus an expected.txt drafted by the current model.

    python -m training.new_fixture saved/page.html --site vnexpress --url https://vnexpress.net/... --lang vi
    # then correct fixtures/vnexpress/<id>/expected.txt by hand, and check it with
    python -m training.inspect fixtures/vnexpress/<id>

The page is copied byte for byte (never edited: labels come from aligning blocks to
expected.txt at training time). expected.txt holds the model's clean text, one paragraph per
block with a blank line between; delete what is not article, add back what is missing.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from cleaner.api import Cleaner, as_text
from cleaner.decode import binary_kind, sniff_format
from cleaner.model import ModelError

ROOT = Path(__file__).resolve().parent.parent


def fixture_id(data: bytes) -> str:
    """Names the folder after the page's content: the same page twice is caught, not duplicated."""
    return hashlib.sha256(data).hexdigest()[:16]


def create_fixture(data: bytes, site: str, root: Path, url: str | None = None, lang: str | None = None,
                   input_format: str | None = None, cleaner: Cleaner | None = None) -> Path:
    """Write <root>/<site>/<id>/{page.html|page.txt, expected.txt, meta.json}; returns the folder."""
    kind = binary_kind(data)
    if kind:
        raise ValueError(f"not a web page ({kind})")
    if not data.strip():
        raise ValueError("the page is empty")
    fmt = input_format or sniff_format(as_text(data))
    folder = root / site / fixture_id(data)
    if folder.exists():
        raise FileExistsError(f"{folder} already exists (the same page was added before)")
    cleaner = cleaner or Cleaner()
    draft = cleaner.clean(data, fmt)  # type: ignore[arg-type]
    folder.mkdir(parents=True)
    (folder / f"page.{'html' if fmt == 'html' else 'txt'}").write_bytes(data)
    (folder / "expected.txt").write_text(draft + "\n" if draft else "", encoding="utf-8")
    meta = {
        "url": url, "lang": lang, "source": "fixtures", "site": site, "input": fmt,
        "licence": "project fixtures (users' own pages)",
        "drafted_by": {"model_sha256": cleaner.model.sidecar.get("sha256"), "threshold": cleaner.threshold},
        "reviewed": False,  # set to true once a person has corrected expected.txt
    }
    (folder / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.new_fixture", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", help="the page as scraped (HTML or a plain-text scrape); '-' reads stdin")
    parser.add_argument("--site", required=True, help="a short name for the site; fixtures of one site share it")
    parser.add_argument("--url", help="where the page came from (kept in meta.json)")
    parser.add_argument("--lang", help="language code, e.g. vi")
    parser.add_argument("--root", type=Path, default=ROOT / "fixtures", help="fixtures folder (default: fixtures/)")
    parser.add_argument("--input-format", choices=["html", "text"], help="default: detected")
    parser.add_argument("--model", help="model that drafts expected.txt (default: the packaged one)")
    args = parser.parse_args(argv)
    try:
        data = sys.stdin.buffer.read() if args.page == "-" else Path(args.page).read_bytes()
        folder = create_fixture(data, args.site, args.root, args.url, args.lang, args.input_format,
                                Cleaner(args.model))
    except (OSError, ValueError, ModelError) as exc:
        print(f"new_fixture: {exc}", file=sys.stderr)
        return 1
    print(f"{folder}\n  correct {folder / 'expected.txt'} (drafted by the model), then run\n"
          f"  python -m training.inspect {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
