from django.contrib import admin

from jobs.models import JobStatus, Lease, WorkerHeartbeat


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnly):
    list_display = ["worker_id", "hostname", "pid", "started_at", "seen_at"]


@admin.register(Lease)
class LeaseAdmin(ReadOnly):
    list_display = ["key", "holder", "expires_at"]


@admin.register(JobStatus)
class JobStatusAdmin(ReadOnly):
    list_display = ["key", "state", "done", "total", "task_id", "updated_at"]
