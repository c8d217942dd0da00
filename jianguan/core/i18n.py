"""Translation catalogues without GNU gettext tools: extract, sync, check and compile with polib.

Source strings are Simplified Chinese (the default language); the English catalogue at
jianguan/locale/en/LC_MESSAGES/django.po must translate every one of them (a test enforces it).
`jianguan i18n sync` adds new source strings to the catalogue; `jianguan i18n compile` writes the .mo
files (done by `make` at set-up, never committed).
"""
from __future__ import annotations

import re
from pathlib import Path

import polib

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = PACKAGE_DIR / "locale"
LANGUAGES = ["en"]

_STR = r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\''
PY_CALL = re.compile(r"\b(?:_|_lazy|gettext|gettext_lazy|pgettext|ngettext)\(\s*(?:" + _STR + r")")
TPL_TRANS = re.compile(r"\{%\s*(?:trans|translate)\s+(?:" + _STR + r")")
TPL_BLOCK = re.compile(r"\{%\s*blocktrans(?:late)?\b([^%]*)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S)
TPL_PLURAL = re.compile(r"\{%\s*plural\s*%\}")
TPL_VAR = re.compile(r"\{\{\s*([A-Za-z_][\w]*)[^}]*\}\}")


def _unescape(s: str) -> str:
    return s.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8") if "\\" in s else s


def _has_han(s: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in s)


def extract() -> dict[str, str | None]:
    """msgid → msgid_plural (or None), from our Python files and templates."""
    found: dict[str, str | None] = {}
    for path in PACKAGE_DIR.rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for m in PY_CALL.finditer(text):
            s = _unescape(m.group(1) if m.group(1) is not None else m.group(2))
            if s and _has_han(s):
                found.setdefault(s, None)
    for path in PACKAGE_DIR.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for m in TPL_TRANS.finditer(text):
            s = m.group(1) if m.group(1) is not None else m.group(2)
            if s and _has_han(s):
                found.setdefault(s, None)
        for m in TPL_BLOCK.finditer(text):
            body = m.group(2)
            parts = TPL_PLURAL.split(body)
            singular = TPL_VAR.sub(lambda v: f"%({v.group(1)})s", parts[0])
            plural = TPL_VAR.sub(lambda v: f"%({v.group(1)})s", parts[1]) if len(parts) > 1 else None
            if _has_han(singular):
                found.setdefault(singular, plural)
    return found


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def load(lang: str) -> polib.POFile:
    path = catalogue_path(lang)
    if path.exists():
        return polib.pofile(str(path), wrapwidth=0)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": lang,
                   "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    return po


def sync(lang: str) -> int:
    """Add source strings missing from the catalogue (untranslated); returns how many were added."""
    po = load(lang)
    known = {e.msgid for e in po}
    added = 0
    for msgid, plural in sorted(extract().items()):
        if msgid not in known:
            entry = polib.POEntry(msgid=msgid, msgstr="")
            if plural:
                entry = polib.POEntry(msgid=msgid, msgid_plural=plural, msgstr_plural={0: "", 1: ""})
            po.append(entry)
            added += 1
    path = catalogue_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return added


def missing(lang: str) -> list[str]:
    """Source strings with no translation (absent, empty or fuzzy) in the catalogue."""
    po = load(lang)
    translated = {e.msgid for e in po if e.translated() and "fuzzy" not in e.flags}
    return sorted(m for m in extract() if m not in translated)


def compile_all() -> list[Path]:
    written = []
    for lang in LANGUAGES:
        path = catalogue_path(lang)
        if path.exists():
            mo = path.with_suffix(".mo")
            polib.pofile(str(path)).save_as_mofile(str(mo))
            written.append(mo)
    return written
