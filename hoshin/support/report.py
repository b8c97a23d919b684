"""The document master list as a PDF: the list a certification auditor asks for first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from hoshin.core.models import Organisation
from hoshin.core.pdf import html_to_pdf
from hoshin.support.models import Document


def master_list_pdf(documents: Sequence[Document], user: Any) -> bytes:
    html = render_to_string(
        "support/master_list_pdf.html",
        {
            "organisation": Organisation.current(),
            "documents": documents,
            "printed_by": user,
            "printed_at": timezone.now(),
        },
    )
    return html_to_pdf(html)
