import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetbook.text import join_lines, normalize, parse_number, squash


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("２０２４年收入预算３０５５．４４万元", "2024年收入预算3055.44万元"),  # full-width digits
        ("经 费 总预 算", "经费总预算"),  # PDF layout spaces between CJK
        ("2026 年度收入预算 32852.05 万元", "2026年度收入预算32852.05万元"),
        ("合计\u3000\u3000141.72", "合计141.72"),  # ideographic spaces
        ("37 337 407.64 元", "37337407.64元"),  # spaces inside a number
        ("1,200,000元", "1200000元"),
        ("1，200，000元", "1200000元"),
        ("195,774,300 153,268,740", "195774300 153268740"),  # two amounts stay two
        ("预算数为119萬元", "预算数为119万元"),
        ("单位:万元", "单位：万元"),  # ASCII colon beside CJK
        ("因公出国(境)费", "因公出国（境）费"),
        ("下降３．８％", "下降3.8%"),
        ("201 08 01", "201 08 01"),  # class codes are not thousands groups
        ("\ufeff一、部门职责", "一、部门职责"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,935.36", 1935.36),
        ("195,774,300", 195774300.0),
        ("-126.49", -126.49),
        ("（12.5）", -12.5),
        ("-11.97%", -11.97),
        ("３０５５．４４", 3055.44),
        ("3055.44万元", 3055.44),
        ("", None),
        ("——", None),
        ("-", None),
        ("合计", None),
        (None, None),
    ],
)
def test_parse_number(text: str | None, value: float | None) -> None:
    assert parse_number(text) == value


def test_join_lines_keeps_cjk_tight_and_latin_words_apart() -> None:
    assert join_lines(["年度预", "算申请", "（万元）"]) == "年度预算申请（万元）"
    assert join_lines(["Budget", "report"]) == "Budget report"
    assert join_lines(["1935.", "36万元"]) == "1935.36万元"


def test_squash_removes_all_space() -> None:
    assert squash("收 入 总 计") == "收入总计"


# --- normalize skips the steps that cannot change a text: same result as every step, always --------

_PIECES = [
    *" \t\r\n\x0b\x07\u3000\u00a0\u200b.,，%():;!?（）：；！？-－0123456789万元萬〇合计經費ａ１％．",
    "1 234 567",
    "12 .5",
    "3 %",
    "1,200,000",
    "經(jīng)",
    "\u202e",
]


def _every_step(text: str) -> str:
    """normalize as a plain chain of all its steps (the reference the guarded version must equal)."""
    from budgetbook import text as t

    if not text:
        return ""
    out = t.simplify(text.translate(t._CONTROLS)).translate(t._TABLE)
    out = t._SPACE_RUN.sub(" ", out).strip()
    out = t._SPACE_NEAR_WIDE.sub("", out)
    out = t._SPACED_DECIMAL.sub(".", out)
    out = t._SPACED_GROUPS.sub(lambda m: m.group(1) + m.group(2).replace(" ", ""), out)
    out = t._THOUSANDS.sub("", out)
    out = t._SPACE_BEFORE_PERCENT.sub("", out)
    return t._ASCII_PUNCT_RE.sub(lambda m: t._ASCII_PUNCT_NEAR_CJK[m.group(0)], out)


@given(st.lists(st.sampled_from(_PIECES), max_size=20), st.integers(min_value=0, max_value=300))
@settings(max_examples=300, deadline=None)
def test_normalize_equals_every_step(pieces: list[str], pad: int) -> None:
    text = "".join(pieces)
    long = "预" * pad + text  # past the remembered length too
    assert normalize(text) == _every_step(text)
    assert normalize(long) == _every_step(long)
    assert normalize(text) == normalize(text)  # the remembered answer is the computed one
