"""Queueing background work from a web request without failing when the broker is down."""

import logging

from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs):
    """Queue `task`; return its AsyncResult, or None when the broker cannot be reached.

    The caller shows the user a clear message for None; the publish retry policy in
    settings keeps the wait short.
    """
    try:
        return task.delay(*args, **kwargs)
    except (OperationalError, ConnectionError, OSError) as error:
        logger.error("could not queue %s: %s", task.name, error)
        return None
