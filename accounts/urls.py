from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.AccountView.as_view(), name="account"),
    path("name/", views.NameChangeView.as_view(), name="name"),
    path("language/", views.LanguageChangeView.as_view(), name="language"),
    path("delete/", views.AccountDeleteView.as_view(), name="delete"),
]
