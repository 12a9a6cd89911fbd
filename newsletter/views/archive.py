# being written
from django.views import View  # placeholder until the views land


class PublicArchiveView(View):
    pass


class PublicIssueView(View):
    pass


class MembersArchiveView(View):
    pass


class MembersIssueView(View):
    pass
