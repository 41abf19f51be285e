"""Sections that an app higher up adds to a page of an app below it.

A page of the partner register or of an agreement may have to show something that
belongs to an app built on top of it (the partner portal's users, a partner's report),
yet the page's own app must not import that app. The page names a slot in its template
(`{% page_sections "agreements.agreement_detail" agreement=agreement %}`, from
core/templatetags/sections.py); an app registers a provider for the slot in its
AppConfig.ready(). A provider takes the request and the page's objects and returns
rendered HTML, or "" when it has nothing to show this user.
"""

from collections import defaultdict
from collections.abc import Callable

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

Provider = Callable[..., str]

_providers: dict[str, list[Provider]] = defaultdict(list)


def register(slot: str, provider: Provider) -> None:
    """Add a provider to a slot; registering the same one twice adds it once."""
    if provider not in _providers[slot]:
        _providers[slot].append(provider)


def render_slot(slot: str, request, **objects) -> SafeString:
    """Every provider's HTML for the slot, in the order they were registered."""
    parts = [
        html for provider in _providers.get(slot, ()) if (html := provider(request, **objects))
    ]
    return format_html_join("", "{}", ((part,) for part in parts))
