"""What the projects app's pages share beyond ``association.web``."""

from __future__ import annotations

from django.http import HttpResponse

from association.exports import attach

# The projects app's lists show 25 rows a page (association.web.paginate).
PER_PAGE = 25


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    attach(response, filename)
    response["Cache-Control"] = "private, no-store"
    return response
