"""What the task workers share through the database: who is alive, who holds what, progress."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A task worker process, with the last time it said it was alive."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.worker_id} ({self.hostname}, pid {self.pid})"


class Lease(models.Model):
    """A named lock that one worker holds until it lets go or the lease runs out."""

    key = models.CharField(max_length=200, primary_key=True)
    holder = models.CharField(max_length=64)
    expires_at = models.DateTimeField()

    def __str__(self):
        return self.key


class JobStatus(models.Model):
    """The progress of a long job that people watch (a zip of a force's PDFs), by a stable key."""

    class State(models.TextChoices):
        BUILDING = "building"
        READY = "ready"
        FAILED = "failed"

    key = models.CharField(max_length=200, primary_key=True)
    state = models.CharField(max_length=16, choices=State.choices)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "job statuses"

    def __str__(self):
        return f"{self.key}: {self.state}"
