"""Streaming readers for CSV, XLSX and JSON files: rows come out one at a time, memory stays bounded.

Each reader yields `(row_number, cells, problem)`: `cells` maps column name → raw value; `problem` is a
per-row reason to reject it that the reader itself found (undecodable bytes, a merged cell, a formula).
File-level problems (unknown encoding, not a spreadsheet, no header) raise FileProblem before any row.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from xml.etree.ElementTree import iterparse

from django.utils.translation import gettext as _

csv.field_size_limit(1024 * 1024)
_BAD_BYTES: list[list[int]] = []


def _mark(exc: UnicodeDecodeError):
    """Decode errors become U+FFFD, and the file is flagged so rows are then checked for them."""
    for counter in _BAD_BYTES:
        counter[0] += 1
    return "\ufffd", exc.end


codecs.register_error("jianguan-mark", _mark)
SAMPLE = 256 * 1024
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the line ends csv counts (the file is read with newline="")


class FileProblem(ValueError):
    pass


def normalize_header(name) -> str:
    text = unicodedata.normalize("NFKC", str(name or "")).strip().lstrip("\ufeff")
    text = re.sub(r"\s+", "", text)
    return text.lower() if text.lower().startswith("cd_") else text


def detect_encoding(sample: bytes) -> tuple[str, str]:
    """('utf-8-sig' | 'utf-8' | 'gb18030', note). GBK files are common in county offices; GB18030 is its superset."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", ""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem(_("文件是 UTF-16 编码，请另存为 UTF-8 或 GBK 编码的 CSV"))
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8", ""
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
        return "gb18030", _("文件编码识别为 GBK/GB18030，已自动转换")
    except UnicodeDecodeError:
        raise FileProblem(_("无法识别文件编码：既不是 UTF-8 也不是 GBK/GB18030，请用 Excel 或 WPS 另存为“CSV UTF-8”")) from None


class Source:
    """An open file plus how far it has been read, for the progress bar."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.size = self.path.stat().st_size
        self.notes: list[str] = []
        self.raw = None

    def position(self) -> int:
        try:
            return self.raw.tell() if self.raw else 0
        except (ValueError, OSError):
            return self.size


class CsvSource(Source):
    def __iter__(self) -> Iterator[tuple[int, dict, str]]:
        try:
            reader = self._open()
            yield from self._rows(reader)
        finally:
            self._close()

    def batches(self, size: int) -> Iterator[tuple[list[int], list[list[str]], dict[int, str]]]:
        """The rows in lists of up to `size`, as `(row numbers, rows, {index in the list: problem})`: the same rows, numbers
        and problems as iterating, without Python work per row when the rows are ordinary (one line each, not too wide)."""
        try:
            reader = self._open()
            width = len(self.columns)
            while True:
                start = reader.line_num
                rows = list(islice(reader, size))
                if not rows:
                    break
                if reader.line_num - start == len(rows):
                    numbers = list(range(start + 1, start + 1 + len(rows)))
                else:  # quoted cells with line breaks: a row's number is the line it ends on, as csv counts lines
                    numbers, line = [], start
                    for cells in rows:
                        line += 1 + sum(len(_LINE_BREAK.findall(c)) for c in cells if "\n" in c or "\r" in c)
                        numbers.append(line)
                if not all(map(any, rows)):
                    keep = [i for i, cells in enumerate(rows) if any(cells)]
                    rows, numbers = [rows[i] for i in keep], [numbers[i] for i in keep]
                problems = {}
                if rows and max(map(len, rows)) > width:
                    for i, cells in enumerate(rows):
                        problem = self._width_problem(cells, width)
                        if problem:
                            problems[i] = problem
                if self.bad_bytes[0]:
                    for i, cells in enumerate(rows):
                        if any("\ufffd" in c for c in cells):
                            problems[i] = _("本行含有无法按文件编码解码的字符（文件中混用了不同编码）")
                yield numbers, rows, problems
        finally:
            self._close()

    def _open(self):
        self.raw = open(self.path, "rb")
        encoding, note = detect_encoding(self.raw.read(SAMPLE))
        if note:
            self.notes.append(note)
        self.raw.seek(0)
        self.bad_bytes = [0]
        _BAD_BYTES.append(self.bad_bytes)
        text = io.TextIOWrapper(self.raw, encoding=encoding, errors="jianguan-mark", newline="")
        reader = csv.reader(text)
        try:
            header = next(reader)
        except StopIteration:
            raise FileProblem(_("文件为空")) from None
        self.columns = [normalize_header(h) for h in header]
        return reader

    def _close(self) -> None:
        if getattr(self, "bad_bytes", None) in _BAD_BYTES:
            _BAD_BYTES.remove(self.bad_bytes)
        if self.raw is not None:
            self.raw.close()

    @staticmethod
    def _width_problem(cells: list[str], width: int) -> str:
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            return _("本行有 %(n)d 列，多于表头的 %(w)d 列（可能是未加引号的逗号）") % {"n": len(cells), "w": width}
        return ""

    def _rows(self, reader):
        columns = self.columns
        width = len(columns)
        for cells in reader:
            line = reader.line_num
            if not any(cells):
                continue
            problem = self._width_problem(cells, width)
            if self.bad_bytes[0] and any("\ufffd" in c for c in cells):
                problem = _("本行含有无法按文件编码解码的字符（文件中混用了不同编码）")
            yield line, cells, problem


class XlsxSource(Source):
    """Excel via python-calamine (fast); merged cells and formula cells are found and reported per row."""

    def __iter__(self):
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(str(self.path))
            sheet = book.get_sheet_by_index(0)
        except Exception as exc:  # calamine raises its own error types for every kind of broken file
            raise FileProblem(_("无法读取 Excel 文件：%(e)s（请确认是 .xlsx 格式且未加密）") % {"e": str(exc)[:200]}) from None
        merged_rows: dict[int, str] = {}
        for rng in sheet.merged_cell_ranges or []:
            (r0, c0), (r1, c1) = rng
            for r in range(r0, r1 + 1):
                merged_rows.setdefault(r, _("第%(r)d行含合并单元格，请取消合并并逐行填写") % {"r": r + 1})
        formulas = self._formula_cells()
        start_row = (sheet.start or (0, 0))[0]
        rows = sheet.iter_rows()
        header = next(rows, None)
        if header is None:
            raise FileProblem(_("工作表为空"))
        self.columns = [normalize_header(h) for h in header]
        self.raw = None
        for offset, cells in enumerate(rows, start=1):
            index = start_row + offset  # 0-based sheet row
            self.done = index
            if not any(c not in ("", None) for c in cells):
                continue
            problem = merged_rows.get(index, "")
            if index + 1 in formulas:
                problem = _("单元格 %(c)s 是公式，请复制后“粘贴为数值”再导入") % {"c": formulas[index + 1]}
            yield index + 1, list(cells), problem

    def position(self) -> int:
        return self.size if getattr(self, "done", None) is None else min(self.size, self.size * self.done // max(1, self._height))

    def _formula_cells(self) -> dict[int, str]:
        """Row number → first formula cell reference, read from the sheet XML as a stream."""
        found: dict[int, str] = {}
        self._height = 1
        try:
            with zipfile.ZipFile(self.path) as archive:
                names = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
                if not names:
                    return found
                with archive.open(sorted(names)[0]) as stream:
                    cell_ref = ""
                    for event, elem in iterparse(stream, events=("start", "end")):
                        tag = elem.tag.rsplit("}", 1)[-1]
                        if event == "start" and tag == "c":
                            cell_ref = elem.get("r", "")
                        elif event == "end" and tag == "f" and cell_ref:
                            row = int(re.sub(r"^[A-Z]+", "", cell_ref) or 0)
                            found.setdefault(row, cell_ref)
                        elif event == "end" and tag == "row":
                            self._height = int(elem.get("r") or self._height)
                            elem.clear()
        except (zipfile.BadZipFile, KeyError, ValueError):
            pass
        return found


class JsonSource(Source):
    """A JSON array of objects, or JSON Lines (one object per line), decoded incrementally."""

    CHUNK = 1024 * 1024

    def __iter__(self):
        self.raw = open(self.path, "rb")
        try:
            encoding, note = detect_encoding(self.raw.read(SAMPLE))
            if note:
                self.notes.append(note)
            self.raw.seek(0)
            text = io.TextIOWrapper(self.raw, encoding=encoding, errors="strict")
            decoder = json.JSONDecoder()
            buf, pos, index, started = "", 0, 0, False
            self.columns = None
            while True:
                while True:  # skip separators, reading more when the buffer runs out
                    while pos < len(buf) and buf[pos] in " \t\r\n,":
                        pos += 1
                    if pos < len(buf):
                        break
                    more = text.read(self.CHUNK)
                    if not more:
                        break
                    buf, pos = more, 0
                if pos >= len(buf):
                    break
                ch = buf[pos]
                if not started and ch == "[":
                    started, pos = True, pos + 1
                    continue
                if ch == "]":
                    break
                started = True
                while True:
                    try:
                        obj, end = decoder.raw_decode(buf, pos)
                        break
                    except json.JSONDecodeError as exc:
                        more = text.read(self.CHUNK)
                        if not more:
                            raise FileProblem(_("JSON 格式错误：第 %(n)d 条记录附近 %(e)s") % {"n": index + 1, "e": exc.msg}) from None
                        buf += more
                pos = end
                if pos > self.CHUNK:
                    buf, pos = buf[pos:], 0
                index += 1
                if not isinstance(obj, dict):
                    yield index, {}, _("第%(n)d条不是 JSON 对象") % {"n": index}
                    continue
                cells = {normalize_header(k): v for k, v in obj.items()}
                if self.columns is None:
                    self.columns = list(cells)
                yield index, cells, ""
            if self.columns is None:
                self.columns = []
        except UnicodeDecodeError:
            raise FileProblem(_("JSON 文件必须是 UTF-8 编码")) from None
        finally:
            self.raw.close()


def open_source(path: Path, file_name: str = "") -> Source:
    name = (file_name or str(path)).lower()
    if name.endswith(".csv") or name.endswith(".txt"):
        return CsvSource(path)
    if name.endswith(".xlsx") or name.endswith(".xlsm"):
        return XlsxSource(path)
    if name.endswith(".json") or name.endswith(".jsonl"):
        return JsonSource(path)
    if name.endswith(".xls"):
        raise FileProblem(_("不支持旧版 .xls 文件，请在 Excel 或 WPS 中另存为 .xlsx"))
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK"):
        return XlsxSource(path)
    if head.lstrip()[:1] in (b"[", b"{"):
        return JsonSource(path)
    return CsvSource(path)
