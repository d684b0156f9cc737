"""The audit on real sentences and table rows: every check triggered, and silent on consistent input."""

from __future__ import annotations

import pandas as pd
import pytest

from budgetbook.audit import Tolerance, run_checks
from budgetbook.document import Document
from budgetbook.extract.run import extract_document
from budgetbook.frames import audit_frames, build_frames
from budgetbook.outline import assign_sections
from budgetbook.readers.text import parse_lines
from budgetbook.storage import read_frame


def frames_of(*docs: tuple[str, list[str]]) -> dict[str, pd.DataFrame]:
    """Frames of text documents given as (doc_id, lines), read and extracted as the pipeline does."""
    read, extracted = [], {}
    for doc_id, lines in docs:
        doc = Document(doc_id, f"{doc_id}.txt", "text", "")
        doc.blocks = assign_sections(parse_lines(lines))
        read.append(doc)
        extracted[doc_id] = extract_document(doc)
    return build_frames(read, extracted, [])


def findings(frames: dict[str, pd.DataFrame], check: str | None = None) -> pd.DataFrame:
    df = frames["checks"]
    return df.loc[df.check.str.startswith(check)] if check else df


BUDGET = [
    "怀化市人民政府办公室2024年部门预算说明",
    "三、部门收支总体情况",
    "（一）收入预算。2024年年初本部门收入预算3055.44万元，其中，一般公共预算拨款3055.44万元，政府性基金预算拨款0万元，"
    "纳入财政专户管理的非税收入拨款0万元，国有资本经营预算拨款0万元，上年结转结余0万元。同口径对比，收入较上年减少121.16万元，减少3.8%。",
    "（一）一般公共预算“三公”经费预算",
    "2024年“三公”经费预算154万元，其中：“因公出国（境）费”20万元、“公务用车购置及运行费”101万元（其中，公务用车购置费0万元、"
    "公务用车运行费101万元）、“公务接待费”33万元。",
    "2024年怀化市人民政府办公室政府采购预算总额84.9万元，其中，政府采购货物预算19.9万元、政府采购工程预算0万元、政府采购服务预算65万元。",
    "2024年本部门一般公共预算拨款支出为3055.44万元，其中：一般公共服务支出2589万元，占84.74%；社会保障和就业支出263.8万元，"
    "占8.63%；卫生健康支出68.81万元，占2.25%；住房保障支出133.84万元，占4.38%。",
    "本部门2024年年初预算机关运行经费共安排2182.99万元，比上年预算减少370.99万元，下降14.53%。",
    "2024年度支出预算32852.05万元，比2023年年初预算数30385.62万元增加2466.43万元，增长8.12%。",
]


def test_consistent_documents_raise_no_error() -> None:
    frames = frames_of(("consistent", BUDGET))
    checks = findings(frames)
    assert not (checks.severity == "error").any(), checks.loc[checks.severity == "error", "message"].tolist()
    passed = set(checks.loc[checks.passed, "check"])
    assert {
        "sum:三公经费构成",
        "sum:公务用车购置及运行费构成",
        "sum:政府采购构成",
        "sum:收入来源合计",
        "share",
        "change_rate",
        "change_amount",
    } <= passed


def test_parts_exceeding_their_total() -> None:
    frames = frames_of(
        (
            "self_eval",
            [
                "2023年度怀化市人民政府办公室",
                "部门整体支出绩效自评报告",
                "（1）人员经费支出1394.37万元，占基本支出81.73%，用于按照国家规定安排的工资性支出。其中：工资福利支出1460.93万元、对个人和家庭的补助支出338.5万元。",
            ],
        )
    )
    (row,) = findings(frames, "sum:人员经费的经济分类构成").itertuples()
    assert (row.severity, row.expected, row.actual) == ("error", 1394.37, 1799.43)
    assert "1460.93" in row.evidence and row.location


def test_stated_share_that_does_not_match() -> None:
    frames = frames_of(
        (
            "share",
            [
                "2024年本部门一般公共预算拨款支出为1094.8万元，其中：一般公共服务支出439.56万元，占40.15%；社会保障和就业支出57.96万元，占5.23%。"
            ],
        )
    )
    rows = findings(frames, "share").set_index("actual")
    assert rows.loc[40.15, "severity"] == "info" and rows.loc[5.23, "severity"] == "error"
    assert rows.loc[5.23, "expected"] == pytest.approx(5.2941, abs=1e-4)


def test_change_against_its_rate_and_the_earlier_figure() -> None:
    # the template of 北京市审计局's sentence, with the rate and the earlier figure mistyped
    frames = frames_of(
        (
            "change",
            [
                "北京市审计局2026年度部门预算信息公开",
                "2026年度收入预算32852.05万元，比2025年年初预算数30385.62万元增加2466.43万元，增长9.12%。",
                "2026年支出预算32852.05万元，比2025年年初预算数30358.62万元增加2466.43万元，增长8.12%。",
            ],
        )
    )
    rate = findings(frames, "change_rate")
    assert sorted(rate.severity) == ["error", "info"]
    amount = findings(frames, "change_amount")
    assert sorted(amount.severity) == ["error", "info"]


def test_two_values_for_one_measure_and_rounding() -> None:
    frames = frames_of(
        (
            "twice",
            [
                "2024年度怀化市人民政府办公室部门整体支出绩效自评报告",
                "反映本单位当年全部收入。2024年预算收入1537.92万元，其中：一般公共预算收入1537.92万元。",
                "2024年，单位预算收支安排2001.89万元，较上年减少463.97万元。",
                "2023年怀化市人民政府办公室“三公经费”实际支出总额104.98万元。",
                "2023年“三公”经费实际支出104.99万元。",
                "2023年机关运行经费实际支出45.6万元。",
                "2023年机关运行经费决算45.63万元。",
            ],
        )
    )
    twice = findings(frames, "stated_twice").set_index("expected")
    assert twice.loc[1537.92, "severity"] == "error" and twice.loc[1537.92, "actual"] == 2001.89
    # both printed to the cent: 104.98 and 104.99 cannot both be one figure rounded — a person should look
    assert twice.loc[104.98, "severity"] == "warning" and twice.loc[104.98, "grade"] == "疑似"
    assert not bool(twice.loc[104.98, "passed"]) and "精度相同" in twice.loc[104.98, "message"]
    # 45.6 to the 角 and 45.63 to the cent: 45.63 rounds to 45.6, a rounding difference
    assert twice.loc[45.6, "severity"] == "info" and bool(twice.loc[45.6, "passed"])


def test_tolerance_is_configurable() -> None:
    frames = frames_of(
        (
            "tol",
            [
                "2023年度X局部门整体支出绩效自评报告",
                "2023年“三公”经费实际支出104.98万元。",
                "2023年“三公”经费实际支出总额为105.00万元。",
            ],
        )
    )
    strict = audit_frames(frames, Tolerance(0.01, 0.01))["checks"]
    loose = audit_frames(frames, Tolerance(0.05, 0.01))["checks"]
    assert strict.loc[strict.check == "stated_twice", "severity"].tolist() == ["error"]
    assert loose.loc[loose.check == "stated_twice", "severity"].tolist() == ["info"]


def fact(
    doc_id: str,
    measure: str,
    year: int,
    basis: str,
    value: float,
    evidence: str,
    location: str,
    precision: float = 0.005,
    unit: str = "万元",
) -> dict:
    """One row of a facts frame, as extraction writes it."""
    return dict(
        doc_id=doc_id,
        measure=measure,
        item="",
        year=year,
        basis=basis,
        value=value,
        unit=unit,
        evidence=evidence,
        location=location,
        source="table" if " t" in location else "prose",
        precision=precision,
        of="",
        scope="",
    )


def test_across_documents_and_budget_against_actual() -> None:
    facts = pd.DataFrame(
        [
            fact("b24", "expenditure.total", 2024, "budget", 3055.44, "支出预算3055.44万元", "l32"),
            fact("b24", "expenditure.change", 2024, "budget", -121.16, "支出较上年减少121.16万元", "l32"),
            fact(
                "s23",
                "expenditure.total",
                2023,
                "budget",
                3176.6,
                "年度资金总额｜年初预算数｜3176.6",
                "l560 t2 r2 c2",
                0.05,
            ),
            fact("f24", "expenditure.total", 2024, "actual", 2900.0, "支出决算2900万元", "p3 l1", 0.5),
        ]
    )
    documents = pd.DataFrame(
        [
            dict(doc_id="b24", department="X局", doc_kind="budget", fiscal_year=2024),
            dict(doc_id="s23", department="X局", doc_kind="self_evaluation", fiscal_year=2023),
            dict(doc_id="f24", department="X局", doc_kind="final_account", fiscal_year=2024),
        ]
    )
    indicators = pd.DataFrame(columns=["doc_id", "level3", "weight", "score", "location"])
    found = pd.DataFrame(
        [f.record() for f in run_checks({"facts": facts, "documents": documents, "indicators": indicators})]
    )
    prior = found.loc[found.check == "implied_prior_year"].iloc[0]
    assert bool(prior.passed) and prior.expected == pytest.approx(3176.6)
    actual = found.loc[found.check == "budget_vs_actual"].iloc[0]
    assert "执行率94.91%" in actual.message


def test_self_evaluation_scores() -> None:
    indicators = pd.DataFrame(
        [
            dict(doc_id="e", level3="提供有价值的参阅资料", weight="10", score="10", location="t2 r11"),
            dict(doc_id="e", level3="整合环境资源，促使环境效益", weight="10", score="12", location="t2 r19"),
        ]
    )
    facts = pd.DataFrame(
        [fact("e", "performance.score", 2023, "actual", 99.0, "部门整体支出绩效得分99分", "l60", 0.5, "分")]
    )
    documents = pd.DataFrame([dict(doc_id="e", department="X", doc_kind="self_evaluation", fiscal_year=2023)])
    found = pd.DataFrame(
        [f.record() for f in run_checks({"facts": facts, "documents": documents, "indicators": indicators})]
    )
    assert found.set_index("check").loc["score_above_weight", "severity"] == "error"
    assert found.set_index("check").loc["score_total", "actual"] == 22


def test_seed_findings_of_the_acceptance(seeds_run) -> None:
    checks = read_frame(seeds_run[1], "checks")

    def one(doc: str, check: str, text: str) -> pd.Series:
        rows = checks.loc[
            (checks.doc_id == doc) & (checks.check == check) & checks.message.str.contains(text, regex=False)
        ]
        assert len(rows) >= 1, f"{doc} {check} {text}"
        return rows.iloc[0]

    assert one("004_5c1b81d72b238a6b", "stated_twice", "收入合计").severity == "error"  # 1537.92 vs 2001.89
    assert one("004_5c1b81d72b238a6b", "stated_twice", "211.99").severity in ("error", "warning")  # vs 216.75
    assert "216.75" in one("004_5c1b81d72b238a6b", "stated_twice", "211.99").message
    assert one("003_08825dcfe6cddb18", "sum:人员经费的经济分类构成", "1,394.37").severity == "error"
    # 104.99 in its table, both to the cent: not a rounding difference, a warning (疑似)
    assert one("003_08825dcfe6cddb18", "stated_twice", "104.98").severity == "warning"
    # 社会保障和就业支出57.96万元 of the breakdown's 1094.8万元 is 5.29%, the sentence says 5.23%
    share = one("001_252d19192a82fd3e", "share", "5.23%")
    assert (share.severity, share.grade) == ("error", "确定") and "1,094.8" in share.message
    assert one("000_807fa59220604bac", "change_rate", "3.78%").severity == "error"  # "三公" 增加4万元 is 3.48%
    assert one("004_5c1b81d72b238a6b", "implausible", "645.8").severity == "warning"  # above 公用经费285.8
    prior = one("000_807fa59220604bac", "implied_prior_year", "3,176.6")
    assert bool(prior.passed) and "003_08825dcfe6cddb18" in prior.message


def test_completeness(seeds_run, corpus_run) -> None:
    seeds = read_frame(seeds_run[1], "completeness").set_index(["doc_id", "item"])
    assert seeds.loc[("004_5c1b81d72b238a6b", "机关运行经费"), "status"] == "present"
    assert seeds.loc[("004_5c1b81d72b238a6b", "收支总表"), "status"] == "absent"  # the text export has no tables
    corpus = read_frame(corpus_run[1], "completeness").set_index(["doc_id", "item"])
    assert corpus.loc[("上海_2026年上海市审计局_部门预算", "收支总表"), "status"] == "present"
    assert corpus.loc[("上海_2026年上海市审计局_部门预算", "收支总表"), "where"].startswith("表1")
    frames = frames_of(("none", ["2024年无政府性基金预算支出。"]))
    assert frames["completeness"].set_index("item").loc["政府性基金预算支出表", "status"] == "none"


def test_truncation_and_misrounding_are_warnings() -> None:
    frames = frames_of(
        (
            "rounding",
            [
                "上海市审计局2026年度部门预算信息公开",
                "2.“社会保障和就业支出”科目1256万元，主要用于缴纳机关单位基本养老保险及职业年金等支出。",
                "社会保障和就业支出1256.5793万元。",
                "2026年支出预算99230.46万元。2.按支出用途分类，包括人员支出58486.35万元，占59.0%。",
            ],
        )
    )
    twice = findings(frames, "stated_twice")
    assert twice.severity.tolist() == ["warning"] and "1,256" in twice.message.iloc[0]  # cut, not rounded
    share = findings(frames, "share")
    assert share.severity.tolist() == ["warning"]  # 58.94% printed as 59.0%


def test_nested_project_lists_count_their_details_once() -> None:
    from budgetbook.document import Location, Table
    from budgetbook.extract.tables import table_facts

    rows = [
        ["序号", "项目名称", "预算批复"],
        ["", "合计", "13,237.00"],
        ["一", "破产改制企业资金缺口弥补", "6,000.00"],
        ["1", "弥补破产改制企业资金缺口", "5,000.00"],
        ["2", "处置僵尸企业启动资金", "1,000.00"],
        ["二", "困难企业社保欠费补助", "7,237.00"],
    ]
    table = Table(
        rows=rows, location=Location(1, 8), title="项目支出情况表", unit="万元", row_locations=[Location(1, 8)] * 6
    )
    facts = pd.DataFrame([f.record("d") for f in table_facts(table, 1, 2020, "self_evaluation")])
    documents = pd.DataFrame([dict(doc_id="d", department="X", doc_kind="self_evaluation", fiscal_year=2020)])
    found = pd.DataFrame(
        [
            f.record()
            for f in run_checks(
                {
                    "facts": facts,
                    "documents": documents,
                    "indicators": pd.DataFrame(columns=["doc_id", "weight", "score"]),
                }
            )
        ]
    )
    row = found.loc[found.check == "sum:所列项目合计"].iloc[0]
    assert bool(row.passed) and row.actual == 13237  # 6000 = 5000 + 1000 counted once


def test_a_total_left_blank_in_a_standard_table(corpus_run) -> None:
    checks = read_frame(corpus_run[1], "checks")
    blank = checks.loc[checks.check == "blank_total"]
    assert list(blank.doc_id) == ["上海_2026年上海市审计局_部门预算"]  # 收入总计 is blank in the document itself
    assert "收入总计" in blank.message.iloc[0] and "p7" in blank.location.iloc[0]


def test_shares_of_one_list_above_a_hundred_percent_and_wording() -> None:
    frames = frames_of(
        (
            "wording",
            [
                "怀化市人民政府办公室2024年部门预算说明",
                "2024年本部门一般公共预算拨款支出为3055.44万元，其中：一般公共服务支出2589万元，占94.74%；社会保障和就业支出263.8万元，"
                "占8.63%；卫生健康支出68.81万元，占2.25%。",
                "2024年度支出预算32852.05万元，比2023年年初预算数30385.62万元减少2466.43万元。",
                "XX局2024年部门预算公开目录",
            ],
        )
    )
    checks = findings(frames)
    assert "share_total" in set(checks.loc[checks.severity == "error", "check"])
    wording = findings(frames, "wording")
    assert wording.severity.tolist() == ["error"] and "减少" in wording.message.iloc[0]
    assert "XX局" in findings(frames, "placeholder").message.iloc[0]


# --- form: 目录, empty tables, headings; the "三公" table against the text; scoped figures ---------------


def test_table_names_and_numbers_of_the_contents() -> None:
    from budgetbook.audit.form import _core, _number, _same_table

    assert [
        _number(x)
        for x in ("四、财政拨款收支总表", "公开05表", "10、部门整体支出绩效目标表", "十二、项目支出绩效目标表")
    ] == [
        4,
        5,
        10,
        12,
    ]
    # 长沙's 目录 names its tables in short (部门收支总表), the body in full (2026年部门收支总体情况表)
    assert _same_table(_core("1、部门收支总表"), _core("2026年部门收支总体情况表"))
    assert _same_table(_core("8、政府性基金预算支出表"), _core("2026年政府性基金预算支出情况表"))
    # a title that contains another table's name is not that table
    assert not _same_table(_core("四、财政拨款收支总表"), _core("收支总表"))
    assert not _same_table(_core("5、一般公共预算支出表"), _core("2026年政府性基金预算支出情况表"))


def _toc_frames(titles: list[str], statement: str = "") -> dict[str, pd.DataFrame]:
    doc = "长沙_信访局"
    toc = [
        "目录",
        "第二部分2026年部门预算表",
        "1、部门收支总表",
        "7、一般公共预算“三公”经费支出表",
        "8、政府性基金预算支出表",
    ]
    body = ["第二部分 2026年部门预算表", statement] if statement else ["第二部分 2026年部门预算表"]
    paragraphs = pd.DataFrame(
        {
            "doc_id": doc,
            "block": range(len(toc) + len(body)),
            "section": ["目录"] * len(toc) + [""] * len(body),
            "text": toc + body,
            "location": [f"p2 l{i}" for i in range(len(toc))] + [f"p21 l{i}" for i in range(len(body))],
        }
    )
    tables = pd.DataFrame(
        {
            "doc_id": doc,
            "table_id": range(1, len(titles) + 1),
            "block": range(20, 20 + len(titles)),
            "title": titles,
            "caption": [f"{t}\n部门名称：长沙市信访局 单位：万元" for t in titles],
            "location": [f"p{12 + i} l1" for i in range(len(titles))],
        }
    )
    cells = pd.DataFrame(
        [
            {"doc_id": doc, "table_id": i + 1, "row": r, "col": c, "text": text, "page": 12 + i}
            for i, title in enumerate(titles)
            for r, row in enumerate(
                [["项目", "合计"], ["政府性基金预算支出", ""]]
                if "政府性基金" in title
                else [["项目", "合计"], ["合计", "1,935.36"]]
            )
            for c, text in enumerate(row)
        ]
    )
    documents = pd.DataFrame(
        {"doc_id": [doc], "department": ["长沙市信访局"], "fiscal_year": [2026], "doc_kind": ["budget"]}
    )
    return {"documents": documents, "paragraphs": paragraphs, "tables": tables, "table_cells": cells}


def test_contents_against_the_body_and_empty_tables() -> None:
    from budgetbook.audit import empty_table_checks, toc_checks

    titles = ["2026年部门收支总体情况表", "2026年一般公共预算“三公”经费支出情况表", "2026年政府性基金预算支出情况表"]
    statement = "注：本表反映部门本年度政府性基金预算收入支出情况，此表如无数字则表示单位无该项支出。"
    whole = _toc_frames(titles, statement)
    assert not list(toc_checks(whole)) and not list(empty_table_checks(whole))
    (missing,) = toc_checks(_toc_frames(titles[:2], statement))
    assert missing.check == "toc" and "8、政府性基金预算支出表" in missing.message and missing.severity == "warning"
    (empty,) = empty_table_checks(_toc_frames(titles))  # the same empty table without its statement
    assert empty.check == "empty_table" and "政府性基金" in empty.message


def test_year_and_unit_name_of_the_headings() -> None:
    from budgetbook.audit import heading_year_checks, unit_name_checks

    documents = pd.DataFrame(
        {
            "doc_id": ["d"],
            "department": ["上海市普陀区财政局"],
            "fiscal_year": [2024],
            "doc_kind": ["final_account"],
            "title": ["上海市普陀区财政局2024年度部门决算"],
        }
    )
    lines = [
        "上海市普陀区财政局2024年度部门决算",
        "第一部分上海市普陀区财政局概况",
        "第三部分上海市普陀区财政局2024年度部门决算情况说明",
        "上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入支出总计减少56.95万元，下降1.87%。",
    ]

    def frame(texts: list[str]) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "doc_id": "d",
                "block": range(len(texts)),
                "section": "",
                "text": texts,
                "location": [f"p{i + 1} l1" for i in range(len(texts))],
            }
        )

    assert not list(heading_year_checks(documents, frame(lines))) and not list(
        unit_name_checks(documents, frame(lines))
    )
    copied = [lines[0], lines[1], lines[2].replace("2024", "2023"), lines[3]]
    (year,) = heading_year_checks(documents, frame(copied))
    assert (year.expected, year.actual) == (2024, 2023) and "标题" in year.message
    stated = [lines[0], lines[1], lines[2], lines[3].replace("2024年度收入", "2023年度收入")]
    (year,) = heading_year_checks(documents, frame(stated))
    assert year.actual == 2023 and "正文" in year.message
    (unit,) = unit_name_checks(documents, frame([lines[0], "第一部分中共上海市普陀区委社会工作部概况", *lines[2:]]))
    assert "中共上海市普陀区委社会工作部" in unit.message and unit.severity == "warning"


def test_sangong_table_against_the_text() -> None:
    from budgetbook.audit import sangong_table_checks, with_groups

    title = "2026年单位“三公”经费和机关运行经费预算表｜｜“三公”经费预算数/"
    rows = [
        fact("sh", "sangong.reception", 2026, "budget", 2.5, "（三）公务接待费2.50万元，与2025年预算持平。", "p20 l7"),
        fact("sh", "sangong.reception", 2026, "budget", 2.5, f"{title}公务接待费｜2.50", "p19 l3 t9 r3 c2"),
        fact(
            "sh",
            "sangong.overseas",
            2026,
            "budget",
            0.0,
            "（一）因公出国（境）费0.00万元，与2025年预算持平。",
            "p20 l4",
        ),
        fact("sh", "sangong.overseas", 2026, "budget", 0.0, f"{title}因公出国(境)费｜（空）", "p19 l3 t9 r3 c1"),
    ]
    facts = pd.DataFrame(rows).assign(table_kind=lambda f: f.source.map({"table": "sangong", "prose": ""}))
    tol = Tolerance.default()
    assert not list(sangong_table_checks(with_groups(facts), tol))
    blank = facts.copy()
    blank.loc[1, ["value", "evidence"]] = [0.0, f"{title}公务接待费｜（空）"]
    (row,) = sangong_table_checks(with_groups(blank), tol)
    assert (row.check, row.severity, row.expected, row.actual) == ("sangong_table", "error", 0.0, 2.5)
    assert "空白" in row.message and "公务接待费" in row.message
    none = facts.copy()
    none.loc[2, "value"] = 0.0
    none.loc[3, ["value", "evidence"]] = [3.0, f"{title}因公出国(境)费｜3.00"]
    (row,) = sangong_table_checks(with_groups(none), tol)
    assert (row.expected, row.actual) == (3.0, 0.0)


def test_a_scoped_figure_against_the_table_of_its_scope() -> None:
    from budgetbook.audit import scoped_checks, with_groups

    # 杭州市交通运输局: the text's 一般公共预算基本支出 against 表5's 基本支出小计 (a real finding of the corpus)
    rows = [
        fact(
            "hz",
            "expenditure.basic",
            2026,
            "budget",
            82529.89,
            "2026年一般公共预算基本支出82,529.89万元，其中：",
            "p12 l3",
        ),
        fact(
            "hz",
            "expenditure.basic",
            2026,
            "budget",
            82479.29,
            "2026年市级部门一般公共预算支出预算表｜合计｜基本支出/小计｜82,479.29",
            "p30 l3 t5 r3 c2",
        ),
    ]
    facts = pd.DataFrame(rows).assign(scope="一般公共预算", table_kind=["", "function"])
    (row,) = scoped_checks(with_groups(facts), Tolerance.default())
    assert (row.check, row.severity, row.expected, row.actual) == ("stated_twice", "error", 82479.29, 82529.89)
    assert "口径：一般公共预算" in row.message
    # the same figure in a sentence about a part (（二）项目支出：…) is that part's, not compared
    part = facts.assign(measure="expenditure.function", item="交通运输支出")
    part.loc[0, "evidence"] = "（二）项目支出：其中：交通运输支出82529.89万元"
    assert not list(scoped_checks(with_groups(part), Tolerance.default()))


def test_comparative_wording_built_from_two_real_figures() -> None:
    from budgetbook.audit import comparison_checks

    # 北京市审计局 2026: 基本支出 and 项目支出 as its text states them
    sentence = "基本支出21395.91万元，大于项目支出11456.14万元。"
    row = pd.DataFrame({"doc_id": ["bj"], "location": ["p5 l3"], "text": [sentence]})
    assert not list(comparison_checks(row))
    (found,) = comparison_checks(row.assign(text=sentence.replace("大于", "小于")))
    assert found.severity == "error" and "小于" in found.message


def test_template_instructions_left_in() -> None:
    from budgetbook.audit import placeholder_checks

    texts = [
        "注：本表反映部门本年度政府性基金预算财政拨款收入支出及结转和结余情况。",
        "无政府性基金预算财政拨款收入支出的，仍保留该表格式，并在本表下方作下述说明：",
        "共组织对0个项目开展了重点绩效评价（如有），涉及一般公共预算支出0万元，政府性基金预算支出0万元。",
    ]
    paragraphs = pd.DataFrame({"doc_id": "d", "location": ["p15 l3", "p15 l4", "p28 l13"], "text": texts})
    tables = pd.DataFrame(columns=["doc_id", "location", "title"])
    found = list(placeholder_checks(paragraphs, tables))
    assert [f.location for f in found] == ["d p15 l4", "d p28 l13"]
    assert all("模板说明文字未删除" in f.message and f.severity == "warning" for f in found)
