"""Settings for the web servers that tests start: the project's own, with the fast
password hasher the suite uses (tests/conftest.py), so users made by a test can log in
and twenty logins do not spend twenty seconds hashing."""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
