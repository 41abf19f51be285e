"""The Celery app. Settings come from Django's settings with the CELERY_ prefix; tasks
are discovered in each app's tasks.py. Beat runs the daily jobs (see CELERY_BEAT_SCHEDULE)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
