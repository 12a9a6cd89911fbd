# being written
from django.views import View  # placeholder until the views land


class SubscribeView(View):
    pass


class SubscribeSentView(View):
    pass


class ConfirmView(View):
    pass


class PreferencesView(View):
    pass


class UnsubscribeView(View):
    pass
