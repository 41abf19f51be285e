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


def test_the_login_page_switches_language_while_logged_out(client, staff):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'action="/accounts/language/"' in page
    assert 'name="language" value="sv"' in page and ">Svenska<" in page
    response = client.post(
        "/accounts/language/", {"language": "sv", "next": "/accounts/login/?next=/partners/"}
    )
    assert response.status_code == 302 and response.url == "/accounts/login/?next=/partners/"
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "sv"
    assert "Logga in" in page.content.decode()
    # Logging in keeps the choice and saves it for the user's emails.
    client.post(
        "/accounts/login/",
        {"username": staff.username, "password": "password-for-tests", "next": "/partners/"},
    )
    staff.refresh_from_db()
    assert staff.language == "sv"
    assert client.get("/partners/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "sv"


def test_a_language_chosen_logged_out_wins_over_the_saved_one_at_login(client, staff):
    staff.language = "sv"
    staff.save()
    client.post("/accounts/language/", {"language": "en", "next": "/accounts/login/"})
    client.post("/accounts/login/", {"username": staff.username, "password": "password-for-tests"})
    staff.refresh_from_db()
    assert staff.language == "en"


def test_logging_in_without_a_choice_keeps_the_saved_language(client, staff):
    staff.language = "sv"
    staff.save()
    client.post("/accounts/login/", {"username": staff.username, "password": "password-for-tests"})
    staff.refresh_from_db()
    assert staff.language == "sv"
