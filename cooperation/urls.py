from django.urls import path

from .views import bookings, mailing, projects

app_name = "cooperation"

urlpatterns = [
    path("", projects.BoardView.as_view(), name="board"),
    path("mine/", projects.MyCooperationsView.as_view(), name="mine"),
    path("propose/", projects.ProposeView.as_view(), name="propose"),
    path("<int:pk>/", projects.ProjectDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", projects.ProjectEditView.as_view(), name="edit"),
    path("<int:pk>/status/", projects.ProjectStatusView.as_view(), name="status"),
    path("<int:pk>/interest/", projects.InterestView.as_view(), name="interest"),
    path("<int:pk>/message/", mailing.MessageView.as_view(), name="message"),
    path("<int:pk>/book/", bookings.BookView.as_view(), name="book"),
    path(
        "<int:pk>/bookings/<int:booking_pk>/cancel/",
        bookings.CancelView.as_view(),
        name="cancel",
    ),
    path(
        "<int:pk>/bookings/<int:booking_pk>/attendance/",
        bookings.AttendanceView.as_view(),
        name="attendance",
    ),
]
