from urllib.parse import quote

from django.http import HttpResponse

from jianguan.core.exports import XLSX_TYPE


def xlsx_bytes_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
