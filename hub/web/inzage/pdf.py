"""The inzage report as a PDF, rendered from HTML by WeasyPrint (Debian's pango underneath)."""

from __future__ import annotations

from weasyprint import HTML


def pdf_of(html: str) -> bytes:
    """A PDF of a self-contained HTML page (no external resources are fetched)."""
    return HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf()


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict:
    raise ValueError("de PDF haalt niets van buiten op")
