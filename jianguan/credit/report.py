"""The credit report as a .docx (python-docx, editable in WPS), and PDF where a converter is installed."""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _


def render(*, public: dict, code: str, generated_at) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    title = doc.add_heading(_("市场主体公共信用信息报告"), level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    region = getattr(settings, "JIANGUAN_REGION_NAME", "")
    doc.add_paragraph(_("出具单位：%(r)s事中事后监管平台　　出具时间：%(t)s") % {
        "r": region, "t": timezone.localtime(generated_at).strftime("%Y-%m-%d %H:%M")})
    p = doc.add_paragraph()
    p.add_run(_("报告验证码：%(c)s") % {"c": code}).bold = True
    doc.add_paragraph(_("可在本平台“信用报告验证”页面输入验证码，核对本报告的真实性。"))
    doc.add_heading(_("一、基本信息"), level=2)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in ((_("名称"), public["name"]), (_("统一社会信用代码"), public["uscc"]), (_("主体类型"), public["kind"]),
                         (_("法定代表人/负责人"), public["legal_representative"]), (_("登记状态"), public["status"]),
                         (_("成立日期"), str(public["established_on"] or "")), (_("住所"), public["address"])):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(label), str(value or "")
    doc.add_heading(_("二、公示期内的信用信息"), level=2)
    rows = public["items"]
    if not rows:
        doc.add_paragraph(_("截至出具时，该主体没有处于公示期内的失信信息。"))
    else:
        t = doc.add_table(rows=1, cols=5)
        t.style = "Table Grid"
        for cell, text in zip(t.rows[0].cells, (_("类别"), _("事项"), _("日期"), _("部门"), _("公示至"))):
            cell.text = str(text)
        for r in rows:
            cells = t.add_row().cells
            cells[0].text, cells[1].text = r["category"], r["title"]
            cells[2].text, cells[3].text = str(r["date"]), r["department"] or ""
            cells[4].text = str(r["until"] or "")
    doc.add_heading(_("三、说明"), level=2)
    doc.add_paragraph(_("本报告仅列示出具时处于公示期内的信息；公示期依各项信息作出决定时施行的公示与信用修复制度计算，"
                        "期满、信用修复或异议更正后的信息不再列示。自然人信息已按规定屏蔽。"))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def converter() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes, timeout: int = 60) -> bytes | None:
    """PDF through LibreOffice when it is installed; None otherwise (the .docx is always available)."""
    exe = converter()
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(docx)
        try:
            subprocess.run([exe, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(src)], check=True, timeout=timeout,
                           capture_output=True)
        except (subprocess.SubprocessError, OSError):
            return None
        out = Path(tmp) / "report.pdf"
        return out.read_bytes() if out.exists() else None
