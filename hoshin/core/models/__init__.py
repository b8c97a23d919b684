from hoshin.core.models.approval import ReadRequest, SignOff, SignOffState
from hoshin.core.models.journal import (
    Action,
    ActionStatus,
    Attachment,
    Comment,
    Signature,
    SignatureMeaning,
)
from hoshin.core.models.organisation import ExchangeRate, Organisation
from hoshin.core.models.people import Department, Site, User
from hoshin.core.models.record import Counter, Record, StaleRecordError, TrailedModel
from hoshin.core.models.trail import TrailAction, TrailEvent

__all__ = [
    "Action",
    "ActionStatus",
    "Attachment",
    "Comment",
    "Counter",
    "Department",
    "ExchangeRate",
    "Organisation",
    "ReadRequest",
    "Record",
    "SignOff",
    "SignOffState",
    "Signature",
    "SignatureMeaning",
    "Site",
    "StaleRecordError",
    "TrailAction",
    "TrailEvent",
    "TrailedModel",
    "User",
]
