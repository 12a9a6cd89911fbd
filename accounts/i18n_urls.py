"""Django's language switch (``django.conf.urls.i18n``), keeping a logged-in person's choice
with their account."""

from django.urls import path

from . import views

urlpatterns = [
    path("setlang/", views.set_language, name="set_language"),
]
