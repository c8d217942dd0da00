"""Reading the county's task-division table (沁县加强和规范事中事后监管任务分工) from its text export.

The text is the table as a word processor exported it: each cell starts on a line beginning with a tab, a
cell's further lines follow without one; every page repeats the title and the header row. A table row has
five cells — section (一、… or empty when it continues), target task (its title broken over several lines),
numbered measures, lead departments, responsible departments. Department names are broken over lines too
("县审批服务\\n\\n管理局"), so whitespace inside a cell is removed before reading names.

`parse()` returns the structure; `jianguan/duties/data/task_division.json` is derived from it (plus the
mapping of the seed's department names to this county's Department rows), and a test checks that the two
agree and that every target and measure of the seed is present exactly once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SEED_PATH = Path(__file__).resolve().parent / "data" / "seed.txt"
PAGE_LINES = {"附件", "沁县加强和规范事中事后监管任务分工"}
HEADER_CELLS = {"目标任务", "主要内容", "牵头单位", "责任单位"}
SECTION_RE = re.compile(r"^([一二三四五六七八九十]+)、(.+)$")
MEASURE_RE = re.compile(r"^(\d+)\.(.*)$")
ALL_BUREAUS = "县直各部门"


@dataclass
class SeedTarget:
    section_no: str
    section_title: str
    title: str
    measures: list[str]
    lead: list[str]
    responsible: list[str]
    responsible_all: bool = field(default=False)


def _cells(text: str) -> list[str]:
    cells: list[str] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.strip() in PAGE_LINES and not raw.startswith("\t"):
            continue
        if raw.startswith("\t"):
            cells.append(raw[1:])
        elif cells:
            cells[-1] += "\n" + line
    return [c for c in cells if c.strip() not in HEADER_CELLS]


def _squash(cell: str) -> str:
    return re.sub(r"\s+", "", cell)


def split_departments(cell: str) -> tuple[list[str], bool]:
    """“县委编办、县司法局等县直各部门” → (["县委编办", "县司法局"], True)."""
    text = _squash(cell)
    every = False
    if text.endswith(ALL_BUREAUS):
        every = True
        text = text[: -len(ALL_BUREAUS)]
        text = text[:-1] if text.endswith("等") else text
    names = [n for n in text.split("、") if n]
    return names, every


def _measures(cell: str) -> list[str]:
    out: list[str] = []
    expected = 1
    for line in cell.splitlines():
        line = line.strip()
        if not line:
            continue
        m = MEASURE_RE.match(line)
        if m and int(m.group(1)) == expected:
            out.append(m.group(2).strip())
            expected += 1
        elif out:
            out[-1] += line
        else:
            raise ValueError(f"measure text before measure 1: {line[:30]}")
    return out


def parse(text: str | None = None) -> list[SeedTarget]:
    text = SEED_PATH.read_text(encoding="utf-8") if text is None else text
    cells = _cells(text)
    # trailing whitespace-only cells after the last row are not a row
    while cells and not cells[-1].strip() and len(cells) % 5:
        cells.pop()
    if len(cells) % 5:
        raise ValueError(f"the table does not split into rows of five cells ({len(cells)} cells)")
    targets: list[SeedTarget] = []
    section_no = section_title = ""
    for i in range(0, len(cells), 5):
        section, title, measures, lead, responsible = cells[i:i + 5]
        section = _squash(section)
        if section:
            m = SECTION_RE.match(section)
            if not m:
                raise ValueError(f"not a section heading: {section}")
            section_no, section_title = m.group(1), m.group(2)
        lead_names, lead_all = split_departments(lead)
        resp_names, resp_all = split_departments(responsible)
        if lead_all:
            raise ValueError(f"a lead cell names every department: {lead}")
        targets.append(SeedTarget(section_no=section_no, section_title=section_title, title=_squash(title),
                                  measures=_measures(measures), lead=lead_names, responsible=resp_names, responsible_all=resp_all))
    return targets
