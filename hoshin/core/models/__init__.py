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
    "Record",
    "Signature",
    "SignatureMeaning",
    "Site",
    "StaleRecordError",
    "TrailAction",
    "TrailEvent",
    "TrailedModel",
    "User",
]
