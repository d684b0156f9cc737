"""Projects described one by one in prose: the section of key projects (北京's
"（四）重点支出和重大投资项目情况说明") names each project — by a numbered heading of its own
("1.学前免费政策市级财政补助"), a 项目名称： line, a sentence naming the one project
("涉及1个重点支出项目，为X项目") or a "X：…本项目…" paragraph — and states its amount in a
field line ("（3）预算安排：2026年安排预算1亿元。"). Each amount is a `project` fact of the project
in force, with its sentence as evidence. Vocabulary: `[key_projects]` in data/measures.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from budgetbook.extract.facts import Fact
from budgetbook.extract.prose import basis_of, figures, project_name
from budgetbook.extract.vocab import any_word, load
from budgetbook.outline import NUMBERING

MAX_NAME = 40
_FIELD = re.compile(r"^(?P<label>[^：:。，；]{2,40})[：:]\s*(?P<rest>.*)$", re.S)
_YEAR = re.compile(r"(\d{4})年")


@cache
def _vocab() -> dict:
    return load("measures")["key_projects"]


@cache
def _one_project() -> re.Pattern[str]:
    return re.compile(_vocab()["one_project"])


def in_key_section(section: tuple[str, ...], text: str) -> bool:
    """Whether a paragraph is in (or is the heading of) a section of key projects."""
    return any(any_word("measures", "key_projects", "sections").search(h) for h in (*section, text))


def unnumbered(text: str) -> str:
    """A paragraph without its outline number (（3）预算安排：… → 预算安排：…)."""
    s = text.strip()
    for _, pattern in NUMBERING:
        m = pattern.match(s)
        if m:
            return s[m.end() :].strip()
    return s


@dataclass
class KeyProjects:
    """The project in force in a section of key projects, and the facts of its amounts."""

    fiscal_year: int | None
    doc_kind: str
    name: str = ""

    def read(self, text: str, section: tuple[str, ...], location: str) -> list[Fact]:
        """The project facts a paragraph states (none outside a section of key projects)."""
        if not in_key_section(section, text):
            self.name = ""
            return []
        body = unnumbered(text)
        if any(w in body for w in _vocab()["sections"]):
            self.name = ""  # the section's own heading
            return []
        field = _FIELD.match(body)
        label = field.group("label").strip() if field else ""
        if label in _vocab()["name_fields"]:
            self.name = _name(field.group("rest"))
            return []
        if label in _vocab()["amount_fields"]:
            return self._amount(field.group("rest"), text, location)
        if label in _vocab()["fields"]:
            return []
        one = _one_project().search(body)
        if one:
            self.name = _name(one.group("name"))
            return []
        if field and _vocab()["this_project"] in body:  # 四环主路维修专项工程：…本项目计划安排年初预算21384.60万元
            self.name = _name(label)
            after = body[body.index(_vocab()["this_project"]) :]
            return self._amount(after, text, location)
        if body != text.strip() and not field and not figures(body) and len(body) <= MAX_NAME:
            self.name = _name(body)  # a numbered heading of its own: 1.学前免费政策市级财政补助
        return []

    def _amount(self, rest: str, evidence: str, location: str) -> list[Fact]:
        money = [f for f in figures(rest) if f.kind == "money"]
        if not self.name or not money:
            return []
        fig = money[0]
        years = _YEAR.findall(rest[: fig.start])
        year = int(years[-1]) if years else self.fiscal_year
        basis = basis_of(rest[: fig.start], self.doc_kind)
        return [
            Fact("project", fig.value, fig.unit, self.name, year, basis, evidence, location, "prose", fig.precision)
        ]


def _name(text: str) -> str:
    """A project's name as printed, without a closing full stop ('' if it is no name)."""
    name = project_name(text.strip().rstrip("。；;."), tail=False)
    for open_, close in (("（", "）"), ("(", ")")):
        if name.count(open_) > name.count(close):
            name += close  # the bracket closing the name, stripped with the punctuation around it
    return name
