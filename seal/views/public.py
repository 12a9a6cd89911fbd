from django.views import View  # placeholder until the public views land


class SealHomeView(View):
    pass


class VerifyView(View):
    pass


def badge_svg(request, code):
    raise NotImplementedError
