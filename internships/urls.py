from django.urls import path

from .views import offers, public

app_name = "internships"

urlpatterns = [
    path("", public.PublicOfferListView.as_view(), name="public"),
    path("offers/", offers.OfferListView.as_view(), name="offers"),
    path("offers/new/", offers.OfferCreateView.as_view(), name="offer_create"),
    path("offers/<int:pk>/edit/", offers.OfferUpdateView.as_view(), name="offer_edit"),
    path("offers/<int:pk>/withdraw/", offers.OfferWithdrawView.as_view(), name="offer_withdraw"),
]
