"""Who published a disclosure, about which year, and what kind of document it is.

Read from the document's own text — the cover title, 预算单位：-style fields, the sentences
that name the unit — never from the file name. Places come from the cnloc gazetteer (chosen
over cpca by `benchmarks/gazetteer.py`: on our documents both find every place, but cpca
guesses a province for ambiguous district names such as 朝阳区 where cnloc declines).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from itertools import islice
from types import ModuleType

from budgetbook.document import Document, Paragraph
from budgetbook.extract.vocab import load
from budgetbook.outline import heading_rank
from budgetbook.text import normalize

COVER_PARAGRAPHS = 12
TITLE_WINDOW = 3
MAX_TITLE = 70
_YEAR = re.compile(r"(20\d{2})\s*年")
_DISCLOSURE_HEADINGS = ("收支", "三公", "机关运行经费", "政府采购", "预算", "决算", "绩效")


@dataclass(frozen=True)
class Identity:
    department: str = ""
    region: str = ""
    province: str = ""
    level: str = ""
    fiscal_year: int | None = None
    doc_kind: str = "other"
    evidence: str = ""


def identify(doc: Document) -> Identity:
    """The identity of a document from its text (page chrome of a saved web page left out)."""
    vocab = load("identity")
    cover = list(islice(_texts(doc), COVER_PARAGRAPHS))
    title = find_title(cover, vocab)
    body = [] if title and title.year else list(_texts(doc))  # read whole only without a dated title
    kind = title.kind if title else _kind_from_body(doc, body, vocab)
    department, evidence = _department(doc, cover, title, vocab)
    year = title.year if title and title.year else _first_year(cover) or _main_year(body)
    notice = find_notice(cover, vocab) if kind == "other" else None
    if notice:
        department, evidence = notice[2] or department, notice[0]
    place = locate(department, " ".join(cover[:4]), vocab["places"]) if department else _Place()
    if notice and department.startswith(tuple(vocab["notices"]["abbreviated"])) and place.region:
        department = place.region + department[1:]  # 市文旅广电局 in 长沙市财政局's notice
    return Identity(
        department=department,
        region=place.region,
        province=place.province,
        level=place.level,
        fiscal_year=year if kind != "other" else notice[1] if notice else None,
        doc_kind=kind,
        evidence=title.text if title else evidence,
    )


def find_notice(cover: list[str], vocab: dict) -> tuple[str, int, str] | None:
    """A notice of funds (关于下达2025年…资金的通知, its title over up to three lines): the title,
    its year and the unit it is addressed to ('' if no 主送 line follows)."""
    rules = vocab["notices"]
    for i in range(len(cover)):
        for width in range(1, TITLE_WINDOW + 1):
            text = "".join(cover[i : i + width])
            m = next((m for t in rules["titles"] if (m := re.match(t, text))), None)
            if m:
                below = (re.match(rules["addressee"], line) for line in cover[i + width : i + width + 3])
                names = [clean_name(a.group("dept"), vocab) for a in below if a]
                return text, int(m.group("year")), next((n for n in names if is_org_name(n, vocab)), "")
    return None


@cache
def _chrome_pattern() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in load("identity")["chrome"]["patterns"]))


def is_chrome(text: str) -> bool:
    """A web page's chrome: breadcrumbs, 索引号/发布机构/来源 lines, viewer banners (never identity)."""
    return bool(_chrome_pattern().search(normalize(text)))


# --- titles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    text: str
    department: str
    year: int | None
    kind: str


@cache
def _title_pattern() -> re.Pattern[str]:
    kinds = sorted((w for k in load("identity")["kinds"] for w in k["words"]), key=len, reverse=True)
    return re.compile(
        r"^(?:(?P<y1>20\d{2})(?:年度?|度)?)?(?P<dept>.*?)(?:(?P<y2>20\d{2})(?:年度?|度)?)?(?:市级|省级|县级|区级)?"
        rf"(?:部门|单位)?(?P<kind>{'|'.join(map(re.escape, kinds))})"
    )


def find_title(cover: list[str], vocab: dict) -> Title | None:
    """The cover title, possibly printed over two or three lines, with its parts."""
    for i in range(len(cover)):
        for width in range(1, TITLE_WINDOW + 1):
            parts = cover[i : i + width]
            text = "".join(parts)
            if len(text) > MAX_TITLE or any(p.startswith("目录") for p in parts):
                break
            m = _title_pattern().match(text)
            # a sentence is a title only if it opens with its year ("2024年无政府性基金预算支出。")
            sentence = bool(re.search("[，。；]", text)) or "：" in text[m.end() :] if m else False
            if m and heading_rank(parts[0]) is None and not (sentence and not m.group("y1")):
                year = m.group("y1") or m.group("y2")
                dept = clean_name(m.group("dept"), vocab)
                return Title(
                    text,
                    dept if is_org_name(dept, vocab) else "",
                    int(year) if year else None,
                    _kind_of(m.group("kind"), vocab),
                )
    return None


def _kind_of(word: str, vocab: dict) -> str:
    return next(k["kind"] for k in vocab["kinds"] if any(w in word or word in w for w in k["words"]))


def _texts(doc: Document) -> Iterator[str]:
    """The text of each paragraph, a web page's chrome left out."""
    return (p.text for p in doc.paragraphs if not is_chrome(p.text))


def _kind_from_body(doc: Document, texts: list[str], vocab: dict) -> str:
    """Without a title: a disclosure has headings about 收支, 三公…; its kind word is the most used.
    `texts`: the text of its paragraphs (`_texts`)."""
    headings = [t for t in texts if heading_rank(t) is not None]
    if not any(w in h for h in headings for w in _DISCLOSURE_HEADINGS):
        return "other"
    text = "".join(texts) + "".join(t.title for t in doc.tables)
    counts = {k["kind"]: sum(text.count(w) for w in k.get("body", k["words"][:2])) for k in vocab["kinds"]}
    kind, count = max(counts.items(), key=lambda kv: kv[1])
    return kind if count else "other"


def _first_year(cover: list[str]) -> int | None:
    for text in cover:
        m = _YEAR.search(text)
        if m:
            return int(m.group(1))
    return None


def _main_year(paragraphs: list[str]) -> int | None:
    """The year a text without a dated title speaks of most."""
    counts = Counter(int(y) for text in paragraphs for y in _YEAR.findall(text))
    return counts.most_common(1)[0][0] if counts else None


# --- the department -------------------------------------------------------------------------


def clean_name(name: str, vocab: dict) -> str:
    """A unit's name without years, field labels and trailing 单位/部门/本级."""
    s = re.sub(r"20\d{2}年度?", "", normalize(name)).strip(" ：:，,")
    for qualifier in vocab["name_qualifiers"]:
        s = re.sub(qualifier, "", s)
    changed = True
    while changed:
        changed = False
        for trailer in vocab["name_trailers"]:
            if s.endswith(trailer) and len(s) > len(trailer) + 2:
                s, changed = s[: -len(trailer)], True
    return s


def is_org_name(name: str, vocab: dict) -> bool:
    """A unit's name: ends like one (a bracketed second name may follow: 中心（研究所）)."""
    base = re.sub(r"[（(][^（）()]*[）)]$", "", name)
    return 4 <= len(name) <= 50 and base.endswith(tuple(vocab["org_suffixes"])) and "。" not in name


def issuer_names(texts: list[str], vocab: dict) -> list[str]:
    """Names given in 预算单位：X / 编制单位：X fields (a unit declaration after the name is cut)."""
    fields = "|".join(map(re.escape, sorted(vocab["issuer_fields"], key=len, reverse=True)))
    pattern = re.compile(rf"(?:^|\s)(?:{fields})\s*[：:]\s*(?P<name>[^\s：:，。；]+)")
    names = []
    for text in texts:
        for m in pattern.finditer(normalize(text)):
            name = clean_name(m.group("name"), vocab)
            if is_org_name(name, vocab):
                names.append(name)
    return names


def _department(doc: Document, cover: list[str], title: Title | None, vocab: dict) -> tuple[str, str]:
    """The publishing unit: a cover field, the title, the fields above tables, the naming sentences."""
    names = issuer_names(cover, vocab)
    if names:
        return names[0], cover[0]
    if title and title.department:
        return title.department, title.text
    captions = [line for t in doc.tables for line in t.caption] + _label_cells(doc)
    voted = Counter(issuer_names(captions, vocab)).most_common(1)
    if voted:
        return voted[0][0], "caption"
    for block in doc.blocks:
        if isinstance(block, Paragraph) and not is_chrome(block.text):
            for pattern in vocab["names"]["prose"]:
                m = re.search(pattern, block.text)
                if m and is_org_name(clean_name(m.group("dept"), vocab), vocab):
                    return _fullest(clean_name(m.group("dept"), vocab), doc), block.text
    titles = [line for t in doc.tables for line in {t.title, *t.caption}]
    named = Counter(n for line in titles if (n := name_in_title(line, vocab))).most_common(1)
    if named:
        return named[0][0], "caption"
    return "", ""


def name_in_title(title: str, vocab: dict) -> str:
    """The unit a table's title opens with (怀来县人民政府办公室单位固定资产占用情况表), or ''."""
    s = re.sub(r"^(?:附件|附表|表)?[\d\-－一二三四五六七八九十.．、：:]*", "", normalize(title).replace(" ", ""))
    s = re.sub(r"^20\d{2}年度?", "", s)
    words = vocab["table_titles"]
    trailers = "|".join(map(re.escape, vocab["name_trailers"]))
    m = re.match(rf"^(?P<dept>.{{4,40}}?)(?:20\d{{2}}年度?)?(?:{trailers})?(?:{'|'.join(words['opening'])})", s)
    if not m:
        return ""
    name = clean_name(m.group("dept"), vocab)
    return name if is_org_name(name, vocab) and not name.startswith(tuple(words["not_names"])) else ""


def _fullest(name: str, doc: Document) -> str:
    """The longest name the document prints that ends with `name` (市信访局 → 长沙市信访局)."""
    text = "".join(p.text for p in doc.paragraphs[:200] if not is_chrome(p.text))
    found = {m.group(0) for m in re.finditer(rf"[\u4e00-\u9fff]{{1,12}}{re.escape(name)}", text)}
    longer = [f for f in found if _starts_like_place(f) and f != name]
    return max(longer, key=len) if longer and not _starts_like_place(name) else name


def _starts_like_place(name: str) -> bool:
    return bool(re.match(r"^(?:中共)?[\u4e00-\u9fff]{1,8}?(?:省|市|县|区|州|盟|旗)", name))


def _label_cells(doc: Document) -> list[str]:
    """`预算单位名称 | 怀化市人民政府办公室` rows of tables, as `label：value` lines."""
    out = []
    for table in doc.tables:
        for row in table.rows[:3]:
            cells = [c for c in row if c.strip()]
            if len(cells) >= 2:
                out.append(f"{cells[0]}：{cells[1]}")
    return out


# --- places ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    province: str = ""
    region: str = ""
    level: str = ""


def locate(department: str, context: str, places: dict) -> _Place:
    """Province, region and level of a department, from the gazetteer (context as fallback)."""
    for text in (department, context):
        province, city, county = _lookup(text)
        if province:
            return _place(department, province, city, county, places)
    if department.startswith(tuple(places["central_prefixes"])):
        return _Place("", "", "中央")
    return _Place()


def _place(department: str, province: str, city: str, county: str, places: dict) -> _Place:
    township = re.search(places["township"], department)
    if county:
        return _Place(province, county, "乡" if township else "县")
    if city and province not in places["municipalities"]:
        return _Place(province, city, "乡" if township else "市")
    return _Place(province, province, "省")


def load_gazetteer() -> None:
    """Load the gazetteer now, once per process, before a document is read: cnloc reads the places of
    every year (about 200 MB while loading) before they are trimmed to one year, and that peak must
    not stack on a large document's. A failure is left to the first lookup, which reports it."""
    with suppress(Exception):
        _gazetteer()


@cache
def _gazetteer() -> ModuleType:
    """cnloc (imported here: loading its tables takes a moment), its places kept for the one year
    we look them up in, its default (the places of 1980–2025 would stay loaded beside every document)."""
    import cnloc

    parser = cnloc.address_parser
    parser.adcode_to_location = {k: v for k, v in parser.adcode_to_location.items() if k[0] == cnloc.DEFAULT_YEAR}
    return cnloc


@cache
def _lookup(text: str) -> tuple[str, str, str]:
    row = _gazetteer().getlocation(text, max_workers=1).iloc[0]

    def name(key: str) -> str:
        value = row.get(key)
        return "" if value is None or value != value or value in ("市辖区", "县") else str(value)

    return name("province_name"), name("city_name"), name("county_name")
