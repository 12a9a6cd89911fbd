"""The page number of a paginated list, as its links write it ("1", "2" … or "last").

Lists kept in the cache per page (network_portal.cache_versions) accept only such numbers:
anything else is a 404 before the cache is asked, so nobody can fill it with variants.
"""

import re

from django.http import Http404
from django.utils.translation import gettext as _

PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,4}|last")


def page_number(request) -> str:
    page = request.GET.get("page") or "1"
    if not PAGE_NUMBER.fullmatch(page):
        raise Http404(_("Invalid page."))
    return page
