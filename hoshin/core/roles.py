"""The roles of a quality management system, kept as Django groups.

A user's role decides what they may see and do; object rules (owners edit their
own records) are layered on top in :mod:`hoshin.core.permissions`.
"""

from django.utils.translation import gettext_lazy as _

TOP_MANAGEMENT = "top_management"
QUALITY_MANAGER = "quality_manager"
PROCESS_OWNER = "process_owner"
INTERNAL_AUDITOR = "internal_auditor"
EMPLOYEE = "employee"
EXTERNAL_AUDITOR = "external_auditor"

# Pseudo-role used in workflow definitions: the record's owner.
OWNER = "owner"

ROLE_LABELS = {
    TOP_MANAGEMENT: _("Top management"),
    QUALITY_MANAGER: _("Quality manager"),
    PROCESS_OWNER: _("Process owner"),
    INTERNAL_AUDITOR: _("Internal auditor"),
    EMPLOYEE: _("Employee"),
    EXTERNAL_AUDITOR: _("External auditor (read-only)"),
}
ALL_ROLES = tuple(ROLE_LABELS)

# Roles that see every record of a register (employees see what concerns them).
SEE_ALL = frozenset(
    {TOP_MANAGEMENT, QUALITY_MANAGER, PROCESS_OWNER, INTERNAL_AUDITOR, EXTERNAL_AUDITOR}
)
# Roles that may never change anything.
READ_ONLY = frozenset({EXTERNAL_AUDITOR})
# Roles that may edit any record, not only their own.
EDIT_ALL = frozenset({QUALITY_MANAGER})
# Roles offered the link to the API's documentation: those who connect other systems or
# pull data for analysis (the API stays open to every role's own rights).
API_USERS = frozenset({QUALITY_MANAGER, PROCESS_OWNER, INTERNAL_AUDITOR})
