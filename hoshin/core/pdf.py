"""HTML to PDF with WeasyPrint, never fetching anything.

Record content goes into these documents, so WeasyPrint is given no way to load a
resource: the fetcher refuses every URL but ``data:``, and templates need nothing
external. A record can never make the server open a file or a URL.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def url_fetcher() -> Any:
    """A fetcher that loads nothing but ``data:`` URLs."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before 67: fetchers were plain functions
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
            if not url.startswith("data:"):
                raise ValueError("The report may not load external resources.")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols={"data"})


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=url_fetcher())
    return bytes(document.write_pdf() or b"")  # with no target, WeasyPrint returns bytes
