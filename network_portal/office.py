"""The coordination office's contact, set once (``OFFICE_*`` settings, from the environment).

Pages show it in their footer (the context processor :func:`office_context`), every mail in its
footer (:mod:`network_portal.mail`), and every "please get in touch" names its mail address and
phone number from here, so a new address or number is changed in one place.
"""

import re
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Office:
    name: str
    street: str
    postcode: str
    city: str
    email: str
    phone: str

    @property
    def place(self) -> str:
        """Postcode and city: "54290 Trier"."""
        return " ".join(part for part in (self.postcode, self.city) if part)

    @property
    def address(self) -> str:
        """Street, postcode and city: "Beispielstraße 12, 54290 Trier"."""
        return ", ".join(part for part in (self.street, self.place) if part)

    @property
    def phone_uri(self) -> str:
        """The number for a ``tel:`` link: "0651 12345-0" becomes "tel:+49651123450"."""
        digits = re.sub(r"[^\d+]", "", self.phone)
        if digits.startswith("00"):
            digits = "+" + digits[2:]
        elif digits.startswith("0"):
            digits = "+49" + digits[1:]
        return f"tel:{digits}"


def office() -> Office:
    """The office as the settings say now (tests and deployments may change them)."""
    return Office(
        name=settings.OFFICE_NAME,
        street=settings.OFFICE_STREET,
        postcode=settings.OFFICE_POSTCODE,
        city=settings.OFFICE_CITY,
        email=settings.OFFICE_EMAIL,
        phone=settings.OFFICE_PHONE,
    )


def office_context(request) -> dict:
    """Context processor: ``office`` in every page's template."""
    return {"office": office()}
