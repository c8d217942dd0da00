"""Reading a legal-basis cell such as “《中华人民共和国食品安全法》第八十七条；《食品生产经营监督检查管理办法》第十条”."""
from __future__ import annotations

import re

_ARTICLE = r"第[一二三四五六七八九十百千零〇两0-9]+条(?:第[一二三四五六七八九十0-9]+款)?(?:第[一二三四五六七八九十0-9]+项)?"
_MORE = re.compile(r"\s*[、，,和及]\s*(" + _ARTICLE + ")")
_CITATION = re.compile(r"《([^》]{1,200})》\s*((?:第[一二三四五六七八九十百千零〇两0-9]+条)(?:第[一二三四五六七八九十0-9]+款)?(?:第[一二三四五六七八九十0-9]+项)?)?")


def parse_basis(text: str) -> list[tuple[str, str]]:
    """The (law name, article) pairs cited in `text`, in order, without duplicates.

    Several articles of one law may follow it: “《安全生产法》第二十条、第二十一条”.
    """
    out: list[tuple[str, str]] = []
    text = (text or "").strip()
    pos = 0
    while True:
        m = _CITATION.search(text, pos)
        if m is None:
            break
        law, article = m.group(1).strip(), (m.group(2) or "").strip()
        pair = (law, article)
        if pair not in out:
            out.append(pair)
        pos = m.end()
        # further articles of the same law: “、第二十一条”
        while True:
            m2 = _MORE.match(text, pos)
            if m2 is None:
                break
            pair = (law, m2.group(1))
            if pair not in out:
                out.append(pair)
            pos = m2.end()
    return out


def format_basis(pairs: list[tuple[str, str]]) -> str:
    return "；".join(f"《{law}》{article}" for law, article in pairs)
