from django.views import View  # placeholder until the application views land


class ApplicationView(View):
    pass


class ApplicationStepView(View):
    pass


class ApplicationSubmitView(View):
    pass


class EvidenceRemoveView(View):
    pass


def summary_pdf(request):
    raise NotImplementedError


def feedback_pdf(request):
    raise NotImplementedError


def certificate_pdf(request):
    raise NotImplementedError


def evidence_download(request, pk):
    raise NotImplementedError
