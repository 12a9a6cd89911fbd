import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.validators import MaxLengthValidator
from django.shortcuts import resolve_url
from django.utils import translation

from network_portal.mail import compose_mail, mail_enqueue
from network_portal.office import office
from network_portal.text import validate_single_line

from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def send_mail(self, template_prefix, email, context):
        """allauth's mails (verification, password reset) go through the portal's outbox too."""
        request = context.get("request")
        ctx = {
            "email": email,
            "current_site": get_current_site(request),
            "office": office(),
            **context,
        }
        message = self.render_mail(template_prefix, email, ctx)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        language = translation.get_language() or getattr(request, "LANGUAGE_CODE", "de")
        # Each of these mails is wanted every time it is asked for, so every call gets its key.
        mail_enqueue(
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}",
            to=email,
            # With the office's contact at the foot and an HTML part, like the portal's own.
            rendered=compose_mail(
                subject=message.subject, text=message.body, html=html or None, language=language
            ),
            language=language,
        )

    def clean_email(self, email):
        # Sign-up, a new address and the password reset: the standard allows 320 characters,
        # the address columns (and the outbox) take 254.
        MaxLengthValidator(User._meta.get_field("email").max_length)(email)
        # Django's email check lets control characters pass in a quoted name ("a\x1b"@…) and
        # invisible ones in the domain (IDNA drops them when it checks).
        validate_single_line(email)
        return super().clean_email(email)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        if not self.is_email_verified(request, user.email):
            # An address proven by an invitation link (members' InvitationAcceptView) counts
            # for a sign-up with exactly that address; allauth would otherwise add it,
            # confirmed, to an account signed up with another one.
            self.unstash_verified_email(request)
        user.language = (translation.get_language() or "de")[:2]
        if commit:
            user.save()
        return user


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets are stored encrypted (Fernet, key MFA_ENCRYPTION_KEY), so a copy of the
    database alone does not let anyone generate a coordinator's codes."""

    def _fernet(self):
        import base64
        import hashlib

        from cryptography.fernet import Fernet

        key = hashlib.sha256(settings.MFA_ENCRYPTION_KEY.encode()).digest()
        return Fernet(base64.urlsafe_b64encode(key))

    def encrypt(self, text: str) -> str:
        return self._fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return self._fernet().decrypt(encrypted_text.encode()).decode()
