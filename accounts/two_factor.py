"""Two-factor sign-in for password users: a TOTP app (enrolled on the profile page, the
QR code drawn here) and ten recovery codes shown once.

When TWO_FACTOR_REQUIRED is on (the default with DEBUG off), managers and partner users
must enrol before they can reach anything else; anyone who has enrolled enters a code
after the password at every sign-in (accounts.middleware.TwoFactorMiddleware). Wrong
codes count like wrong passwords: after LOGIN_FAILURE_LIMIT in a row, codes are refused
for LOGIN_LOCKOUT_MINUTES. Users who signed in through single sign-on are not asked: the
organisation's identity provider applies its own second factor.
"""

import enum
import secrets

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles

RECOVERY_CODES = 10
RECOVERY_DEVICE_NAME = "recovery"
# Set in the session when the user signed in through the organisation's provider.
SIGNED_IN_WITH_SSO = "signed_in_with_sso"
# Whether the user has an authenticator app, kept in the session (set at sign-in and by
# enrolling or removing) so that pages do not ask the database on every request.
ENROLLED = "two_factor_enrolled"


def required_for(user) -> bool:
    return settings.TWO_FACTOR_REQUIRED and (roles.is_manager(user) or roles.is_partner_user(user))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user) -> bool:
    return confirmed_device(user) is not None


def remember_enrolment(request) -> bool:
    enrolled = is_enrolled(request.user)
    request.session[ENROLLED] = enrolled
    return enrolled


def _enrolled(request) -> bool:
    enrolled = request.session.get(ENROLLED)
    if enrolled is None:  # a session from before the rule
        enrolled = remember_enrolment(request)
    return enrolled


def needs_code(request) -> bool:
    """The user must enter a code before going on (enrolled, not yet verified)."""
    if request.session.get(SIGNED_IN_WITH_SSO) or not _enrolled(request):
        return False
    return not request.user.is_verified()


def needs_enrolment(request) -> bool:
    return (
        not request.session.get(SIGNED_IN_WITH_SSO)
        and required_for(request.user)
        and not _enrolled(request)
    )


@transaction.atomic
def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed device the setup page shows; the same one until it is confirmed,
    so reloading the page does not invalidate the code just scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_code_svg(device: TOTPDevice) -> str:
    """The setup address as an inline SVG: drawn here, no outside service sees the key."""
    qr = segno.make(device.config_url, error="m")
    # Without a fixed size the SVG keeps its viewBox and scales to the stylesheet's width.
    return qr.svg_inline(border=3, dark="#1a1a1a", light="#ffffff", omitsize=True)


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in the form authenticator apps accept when typed (base32, in fours)."""
    import base64

    text = base64.b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


class Result(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    LOCKED = "locked"


def _locked(device) -> bool:
    if device.throttling_failure_count < settings.AXES_FAILURE_LIMIT:
        return False
    last = device.throttling_failure_timestamp
    return last is not None and timezone.now() < last + settings.AXES_COOLOFF_TIME


def _normalised(code: str) -> str:
    return "".join(str(code).split()).lower()


@transaction.atomic
def confirm_enrolment(*, user, code: str) -> tuple[Result, list[str]]:
    """Confirm the device with a first code from the app; returns the recovery codes
    (the only time they are seen in the clear)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        return Result.WRONG, []
    if _locked(device):
        return Result.LOCKED, []
    if not device.verify_token(_normalised(code)):  # counts the failure on the device
        return Result.WRONG, []
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.throttle_reset(commit=False)
    device.save()
    return Result.ACCEPTED, new_recovery_codes(user)


def verify_session_after_enrolment(request) -> None:
    """The user just proved they hold the device: this session counts as verified."""
    device = confirmed_device(request.user)
    if device is not None:
        otp_login(request, device)
    request.session[ENROLLED] = device is not None


def new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


@transaction.atomic
def verify(request, code: str) -> Result:
    """Check a code from the app, or a recovery code (each works once)."""
    user = request.user
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return Result.WRONG
    if _locked(device):
        return Result.LOCKED
    code = _normalised(code)
    accepted = device if device.verify_token(code) else None
    if accepted is None:
        static = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if static is not None and static.verify_token(code):
            accepted = static
    if accepted is None:  # the app's device has counted the failure
        return Result.LOCKED if _locked(device) else Result.WRONG
    device.throttle_reset()
    otp_login(request, accepted)
    return Result.ACCEPTED


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def remove(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
