"""Links that leave the browser (emails, calendar entries) need the site's address."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """The full address of a path on this site, from settings.SITE_URL."""
    return settings.SITE_URL.rstrip("/") + path
