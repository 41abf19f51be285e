"""Queueing background work from a web request without failing when the broker is down,
and telling pages whether background work is possible right now."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, ConnectionError, OSError)


def enqueue(task, *args, **kwargs):
    """Queue `task`; return its AsyncResult, or None when the broker cannot be reached.

    The caller shows the user a clear message for None; the publish retry policy in
    settings keeps the wait short.
    """
    try:
        result = task.delay(*args, **kwargs)
    except BROKER_ERRORS as error:
        logger.error("could not queue %s: %s", task.name, error)
        _remember(False)
        return None
    _remember(True)
    return result


def queue_available() -> bool:
    """Whether background work (reminder emails, large summary downloads) can be queued
    now. The broker is asked at most once every QUEUE_CHECK_SECONDS in each process, so
    a page may show the answer without waiting on the broker each time."""
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return True  # a folder on this machine: there is no server to be down
    available = cache.get(_cache_key())
    if available is None:
        available = _broker_answers()
        _remember(available)
    return available


def _broker_answers() -> bool:
    from config.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except BROKER_ERRORS as error:
        logger.warning("the task broker does not answer: %s", error)
        return False
    return True


def _remember(available: bool) -> None:
    cache.set(_cache_key(), available, settings.QUEUE_CHECK_SECONDS)


def _cache_key() -> str:
    broker = hashlib.sha256(settings.CELERY_BROKER_URL.encode()).hexdigest()[:16]
    return f"queue-available:{broker}"
