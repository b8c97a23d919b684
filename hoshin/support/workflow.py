"""The life of a document (the register entry); its versions have their own states.

A document becomes effective when its first version takes effect (Hoshin does that,
on the version's effective date), so no one fires that step by hand: it has no roles.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hoshin.core import roles as R
from hoshin.core.dates import add_years
from hoshin.core.models import SignatureMeaning
from hoshin.core.workflow import State, Transition, Workflow

if TYPE_CHECKING:
    from hoshin.core.models import User
    from hoshin.support.models import Document

KEEPERS = frozenset({R.QUALITY_MANAGER, R.OWNER})


def kept_record(doc: Document) -> bool:
    """A record (a filled form, a log) is kept and then disposed of; other documents
    (procedures, instructions) are in force until made obsolete."""
    return bool(doc.doc_type.is_record)


def is_record(doc: Document) -> str | Promise | None:
    if not kept_record(doc):
        return _("Only records are closed; other documents are made obsolete.")
    return None


def retention_over(doc: Document) -> str | Promise | None:
    from hoshin.support.models import Disposition

    if doc.disposition == Disposition.KEEP:
        return _("This record is kept indefinitely: its disposition is “keep”.")
    if doc.retain_until is None:
        return _("Set the retention period before the record can be disposed of.")
    if doc.retain_until > timezone.localdate():
        return _("The record must be retained until %(date)s.") % {
            "date": doc.retain_until.isoformat()
        }
    return None


# --- effects ---------------------------------------------------------------------------
# ``versions`` imports the models, which import this module for their workflow: it is
# imported when a transition is fired, not when this module loads.
def withdraw_working_versions(
    doc: Document, user: User, comment: str, today: datetime.date
) -> None:
    """A version being worked on is withdrawn with the document (obsolete or void)."""
    from hoshin.support import versions

    versions.withdraw_working(doc, comment)


def make_obsolete(doc: Document, user: User, comment: str, today: datetime.date) -> None:
    withdraw_working_versions(doc, user, comment, today)
    doc.due_date = None


def close_record(doc: Document, user: User, comment: str, today: datetime.date) -> None:
    """A closed record's retention period starts."""
    doc.closed_on = today
    doc.due_date = None
    if doc.retention_years is not None:
        doc.retain_until = add_years(doc.closed_on, doc.retention_years)


def dispose(doc: Document, user: User, comment: str, today: datetime.date) -> None:
    from hoshin.support import versions
    from hoshin.support.models import Disposition

    if doc.disposition == Disposition.DESTROY:
        versions.destroy_content(doc, comment)
        doc.text = ""


WORKFLOW = Workflow(
    initial="draft",
    states=[
        State("draft", _("Draft")),
        State("effective", _("Effective"), steady=True),
        State("closed", _("Closed record"), final=True),
        State("obsolete", _("Obsolete"), final=True),
        State("disposed", _("Disposed of"), final=True),
        State("void", _("Void"), final=True),
    ],
    transitions=[
        Transition(
            "take_effect",
            _("First version takes effect"),
            sources=("draft",),
            target="effective",
            roles=frozenset(),
            help=_("Happens by itself on the effective date of the first approved version."),
        ),
        Transition(
            "make_obsolete",
            _("Make obsolete"),
            sources=("effective",),
            target="obsolete",
            roles=KEEPERS,
            comment_required=True,
            signature=SignatureMeaning.APPROVED,
            awaited=False,
            style="outline-danger",
            help=_(
                "Withdraw the document from use. It stays readable in the archive, "
                "marked obsolete; a version being worked on is withdrawn."
            ),
            effect=make_obsolete,
        ),
        Transition(
            "close",
            _("Close the record"),
            sources=("effective",),
            target="closed",
            roles=KEEPERS,
            applies=kept_record,
            checks=(is_record,),  # refused through the API as well, with the reason
            help=_("A closed record can no longer be changed; its retention period starts."),
            effect=close_record,
        ),
        Transition(
            "dispose",
            _("Dispose of the record"),
            sources=("closed",),
            target="disposed",
            roles=frozenset({R.QUALITY_MANAGER}),
            checks=(retention_over,),
            comment_required=True,
            signature=SignatureMeaning.AUTHORISED,
            awaited=False,
            style="outline-danger",
            help=_(
                "At the end of the retention period: archive it, or destroy its content "
                "(the register entry, signatures and trail stay)."
            ),
            effect=dispose,
        ),
        Transition(
            "void",
            _("Void"),
            sources=("draft",),
            target="void",
            roles=frozenset({R.QUALITY_MANAGER}),
            comment_required=True,
            style="outline-danger",
            help=_("Created in error or a duplicate. The entry stays, marked void."),
            effect=withdraw_working_versions,
        ),
    ],
)
