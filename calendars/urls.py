from django.urls import path

from calendars import views

app_name = "calendars"

urlpatterns = [
    path("feed/<slug:token>.ics", views.feed, name="feed"),
    path("feed/on/", views.feed_issue, name="feed_issue"),
    path("feed/off/", views.feed_revoke, name="feed_revoke"),
    path("agreement/<int:pk>.ics", views.agreement_calendar, name="agreement_calendar"),
]
