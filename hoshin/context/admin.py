from django.contrib import admin

from hoshin.context.models import Process
from hoshin.core.admin import ManagedAdmin, site


@admin.register(Process, site=site)
class ProcessAdmin(ManagedAdmin):
    list_display = ("code", "name", "owner", "active")
    list_filter = ("active",)
    search_fields = ("code", "name")
