"""Document identity from the documents' own text, against the hand-labelled gold."""

from __future__ import annotations

import pandas as pd
import pytest

from budgetbook.extract.identity import clean_name, find_title, issuer_names, locate
from budgetbook.extract.vocab import load
from budgetbook.storage import read_frame

from .conftest import SHARED, need_shared

FIELDS = ["department", "region", "province", "level", "fiscal_year", "doc_kind"]


def gold(prefix: str) -> pd.DataFrame:
    return pd.read_csv(need_shared(SHARED / "gold" / f"{prefix}_documents.csv"), dtype=str, keep_default_na=False)


@pytest.mark.parametrize("prefix", ["seeds", "corpus"])
def test_identity_matches_gold(prefix: str, seeds_run, corpus_run) -> None:
    _, out = seeds_run if prefix == "seeds" else corpus_run
    docs = read_frame(out, "documents").assign(
        doc=lambda d: d.source_file.str.rsplit("/", n=1).str[-1].str.rsplit(".", n=1).str[0]
    )
    merged = gold(prefix).merge(docs, on="doc", suffixes=("_gold", ""))
    assert len(merged) == len(gold(prefix))
    for field in FIELDS:
        want = merged[f"{field}_gold"]
        got = merged[field].astype("string").fillna("").astype(str)
        bad = merged.loc[(want != "") & (want != got), ["doc", f"{field}_gold", field]]
        assert bad.empty, bad.to_string()


def test_title_over_several_lines() -> None:
    vocab = load("identity")
    title = find_title(["中共上海市普陀区委", "社会工作部2024年度", "部门决算", "目录"], vocab)
    assert (title.department, title.year, title.kind) == ("中共上海市普陀区委社会工作部", 2024, "final_account")
    title = find_title(["2023年度怀化市人民政府办公室", "部门整体支出绩效自评报告"], vocab)
    assert (title.department, title.year, title.kind) == ("怀化市人民政府办公室", 2023, "self_evaluation")
    # 北京市国资委 2026 (p1 l1-l2): the year printed without 年 before the kind is the year, not part of the name
    title = find_title(["北京市人民政府国有资产监督管理委员会", "2026部门预算情况的说明"], vocab)
    assert (title.department, title.year, title.kind) == ("北京市人民政府国有资产监督管理委员会", 2026, "budget")
    title = find_title(["2026北京市统计局部门预算"], vocab)  # and before the name
    assert (title.department, title.year, title.kind) == ("北京市统计局", 2026, "budget")
    title = find_title(["北京2022冬奥组委2026年部门预算"], vocab)  # digits inside a name stay in it
    assert (title.department, title.year) == ("北京2022冬奥组委", 2026)


def test_names_lose_trailing_unit_words() -> None:
    vocab = load("identity")
    assert clean_name("怀来县人民政府办公室单位", vocab) == "怀来县人民政府办公室"
    assert clean_name("北京市统计局部门", vocab) == "北京市统计局"
    assert issuer_names(["编制单位：上海市审计局 单位：元"], vocab) == ["上海市审计局"]
    assert issuer_names(["预算单位：上海市财务会计综合管理事务中心（上海市财政科学研究所）"], vocab) == [
        "上海市财务会计综合管理事务中心（上海市财政科学研究所）"
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("怀来县人民政府办公室", ("河北省", "怀来县", "县")),
        ("上海市普陀区财政局", ("上海市", "普陀区", "县")),
        ("北京市审计局", ("北京市", "北京市", "省")),
        ("长沙市信访局", ("湖南省", "长沙市", "市")),
        ("国家信访局", ("", "", "中央")),
        ("朝阳区财政局", ("", "", "")),  # several 朝阳区 exist: no guess
    ],
)
def test_places_from_the_gazetteer(name: str, expected: tuple[str, str, str]) -> None:
    place = locate(name, "", load("identity")["places"])
    assert (place.province, place.region, place.level) == expected
