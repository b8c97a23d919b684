from hoshin.core.models.approval import ReadRequest, SignOff, SignOffState
from hoshin.core.models.inbox import (
    Digest,
    Follow,
    InboxPreference,
    Notification,
    NotificationKind,
)
from hoshin.core.models.journal import (
    Action,
    ActionStatus,
    Attachment,
    Comment,
    Signature,
    SignatureMeaning,
    Supersession,
)
from hoshin.core.models.organisation import ExchangeRate, Organisation
from hoshin.core.models.people import Department, Site, User
from hoshin.core.models.record import Counter, Record, StaleRecordError, TrailedModel
from hoshin.core.models.tally import Tally
from hoshin.core.models.trail import TrailAction, TrailEvent

__all__ = [
    "Action",
    "ActionStatus",
    "Attachment",
    "Comment",
    "Counter",
    "Department",
    "Digest",
    "ExchangeRate",
    "Follow",
    "InboxPreference",
    "Notification",
    "NotificationKind",
    "Organisation",
    "ReadRequest",
    "Record",
    "SignOff",
    "SignOffState",
    "Signature",
    "SignatureMeaning",
    "Site",
    "StaleRecordError",
    "Supersession",
    "Tally",
    "TrailAction",
    "TrailEvent",
    "TrailedModel",
    "User",
]
