import csv
import datetime as dt
import io
import json
import random

import pytest

from jianguan.entities.tests.factories import make_entity, uscc
from jianguan.records import samples


@pytest.fixture(autouse=True)
def _inline_imports(settings, tmp_path, monkeypatch):
    settings.JIANGUAN_IMPORT_INLINE = True
    from jianguan.records import importer, services

    monkeypatch.setattr(importer, "REPORTS_DIR", tmp_path / "reports")
    monkeypatch.setattr(services, "REPORTS_DIR", tmp_path / "reports")
    monkeypatch.setattr(services, "_uploads_dir", lambda: tmp_path)


class Files:
    """Builds import files in the exchange formats for the personas' department A."""

    def __init__(self, personas, tmp_path):
        self.p = personas
        self.tmp = tmp_path
        self.rng = random.Random(7)
        self.company = make_entity("沁县鑫源食品有限公司")
        self.other = make_entity("沁县康宁大药房", kind="individual")

    def rows(self, format: str, n: int, *, start: int = 1, usccs=None, **kw):
        gen = samples.GENERATORS[format]
        out = []
        for i in range(start, start + n):
            code, name = (usccs[i % len(usccs)] if usccs else (self.company.uscc, self.company.name))
            out.append(gen(self.rng, seq=i, uscc=code, party_name=name, agency=self.p.dept_a.name,
                           agency_code=self.p.dept_a.uscc, day=dt.date(2025, 3, 1) + dt.timedelta(days=i), **kw))
        return out

    def csv(self, name: str, rows: list[dict], encoding: str = "utf-8-sig", headers=None) -> "Path":
        path = self.tmp / name
        headers = headers or list(rows[0])
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(h, "") for h in headers])
        path.write_bytes(buf.getvalue().encode(encoding))
        return path

    def xlsx(self, name: str, rows: list[dict], *, merge: str = "", formula_at: str = ""):
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        headers = list(rows[0])
        ws.append(headers)
        for row in rows:
            ws.append([row[h] for h in headers])
        if merge:
            ws.merge_cells(merge)
        if formula_at:
            ws[formula_at] = "=1+1"
        path = self.tmp / name
        wb.save(path)
        return path

    def json(self, name: str, rows: list[dict]):
        path = self.tmp / name
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        return path

    @staticmethod
    def unknown_uscc():
        return uscc()


@pytest.fixture
def files(personas, tmp_path):
    return Files(personas, tmp_path)
