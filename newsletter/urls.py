from django.urls import path

from .views import account, archive, bounces, subscribe

app_name = "newsletter"

urlpatterns = [
    path("subscribe/", subscribe.SubscribeView.as_view(), name="subscribe"),
    path("subscribe/sent/", subscribe.SubscribeSentView.as_view(), name="subscribe_sent"),
    path("confirm/<str:token>/", subscribe.ConfirmView.as_view(), name="confirm"),
    path("preferences/<str:token>/", subscribe.PreferencesView.as_view(), name="preferences"),
    path("unsubscribe/<str:token>/", subscribe.UnsubscribeView.as_view(), name="unsubscribe"),
    path("my-newsletters/", account.AccountListsView.as_view(), name="account_lists"),
    path("archive/", archive.PublicArchiveView.as_view(), name="archive"),
    path("archive/<int:pk>/", archive.PublicIssueView.as_view(), name="archive_issue"),
    path("members-archive/", archive.MembersArchiveView.as_view(), name="members_archive"),
    path(
        "members-archive/<int:pk>/",
        archive.MembersIssueView.as_view(),
        name="members_archive_issue",
    ),
    path("bounces/", bounces.bounce_webhook, name="bounce_webhook"),
    path("bounces/provider/", bounces.provider_bounce_webhook, name="provider_bounce_webhook"),
]
