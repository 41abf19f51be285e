from accounts.models import User


def test_switching_language_is_saved_for_the_user(staff_client, staff):
    response = staff_client.post("/accounts/language/", {"language": "sv", "next": "/partners/"})
    assert response.status_code == 302 and response.url == "/partners/"
    staff.refresh_from_db()
    assert staff.language == "sv"
    page = staff_client.get("/partners/", HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "sv"


def test_an_unknown_language_or_foreign_next_url_is_ignored(staff_client, staff):
    response = staff_client.post(
        "/accounts/language/", {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.url == "/"
    assert User.objects.get(pk=staff.pk).language == ""


def test_the_browser_language_is_used_until_the_user_chooses(staff_client):
    page = staff_client.get("/partners/", HTTP_ACCEPT_LANGUAGE="sv")
    assert page["Content-Language"] == "sv"
