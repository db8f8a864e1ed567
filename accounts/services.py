"""Sign-in rules: who must use a second factor, and TOTP enrolment and verification."""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RoleSecurityPolicy, User


def mfa_required_for(user: User) -> bool:
    """A user must use TOTP when their own flag or their role's policy says so."""
    if user.mfa_required:
        return True
    return RoleSecurityPolicy.objects.filter(role=user.role, mfa_required=True).exists()


def totp_device_confirmed(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def totp_enrolment_start(user: User) -> TOTPDevice:
    """The user's unconfirmed device (created once), to be shown as a QR code until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def totp_qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def totp_secret(device: TOTPDevice) -> str:
    """The shared secret in base32, for typing into an app that cannot scan."""
    return base64.b32encode(device.bin_key).decode()


def totp_verify(device: TOTPDevice, token: str) -> bool:
    """Check a 6-digit code; confirms an enrolling device on its first good code."""
    token = "".join(token.split())
    if not token.isdigit() or not device.verify_token(token):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True
