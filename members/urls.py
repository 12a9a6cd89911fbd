from django.urls import path, re_path

from . import views, views_expertise

app_name = "members"

urlpatterns = [
    path("", views.MemberDirectoryView.as_view(), name="directory"),
    path("directory/", views.PublicDirectoryView.as_view(), name="public_directory"),
    path("start/", views.DashboardView.as_view(), name="dashboard"),
    path("welcome/", views.OnboardingView.as_view(), name="onboarding"),
    path("register/", views.CompanyRegisterView.as_view(), name="register"),
    path("join/", views.JoinRequestCreateView.as_view(), name="join"),
    path("join/<int:pk>/withdraw/", views.JoinRequestWithdrawView.as_view(), name="join_withdraw"),
    path("company/", views.CompanyProfileView.as_view(), name="company"),
    path("my-contact-entry/", views.OwnContactView.as_view(), name="own_contact"),
    path("company/edit/", views.CompanyEditView.as_view(), name="company_edit"),
    path("company/contacts/add/", views.ContactFormView.as_view(), name="contact_add"),
    path("company/contacts/<int:pk>/edit/", views.ContactFormView.as_view(), name="contact_edit"),
    path(
        "company/contacts/<int:pk>/delete/",
        views.ContactDeleteView.as_view(),
        name="contact_delete",
    ),
    path("company/expertise/", views_expertise.ExpertiseListView.as_view(), name="expertise"),
    path(
        "company/expertise/add/",
        views_expertise.ExpertiseFormView.as_view(),
        name="expertise_add",
    ),
    path(
        "company/expertise/<int:pk>/edit/",
        views_expertise.ExpertiseFormView.as_view(),
        name="expertise_edit",
    ),
    path(
        "company/expertise/<int:pk>/delete/",
        views_expertise.ExpertiseDeleteView.as_view(),
        name="expertise_delete",
    ),
    path("company/invitations/new/", views.InvitationCreateView.as_view(), name="invitation_add"),
    path(
        "company/invitations/<int:pk>/revoke/",
        views.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    re_path(
        r"^company/join-requests/(?P<pk>\d+)/(?P<decision>accept|decline)/$",
        views.JoinRequestDecideView.as_view(),
        name="join_request_decide",
    ),
    re_path(
        r"^company/accounts/(?P<pk>\d+)/(?P<action>make-admin|make-member)/$",
        views.MembershipChangeView.as_view(),
        name="membership_change",
    ),
    path(
        "company/accounts/<int:pk>/remove/",
        views.MembershipRemoveView.as_view(),
        name="membership_remove",
    ),
    path("invitation/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("logo/<slug:slug>/", views.CompanyLogoView.as_view(), name="logo"),
]
