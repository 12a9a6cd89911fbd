from django.urls import path

from .views import application, holders, jury, public

app_name = "seal"

urlpatterns = [
    path("", public.SealHomeView.as_view(), name="home"),
    path("verify/<str:code>/", public.VerifyView.as_view(), name="verify"),
    path("badge/<str:code>.svg", public.badge_svg, name="badge"),
    path("archive/", holders.ArchiveView.as_view(), name="archive"),
    path("holders.json", holders.holders_json, name="holders_json"),
    path("holders/embed/", holders.holders_embed, name="holders_embed"),
    path("holders/<slug:slug>/", holders.HolderPageView.as_view(), name="holder"),
    path(
        "application/public-page/",
        holders.HolderProfileView.as_view(),
        name="holder_profile",
    ),
    path("application/", application.ApplicationView.as_view(), name="application"),
    path(
        "application/step/<int:category_id>/",
        application.ApplicationStepView.as_view(),
        name="application_step",
    ),
    path("application/submit/", application.ApplicationSubmitView.as_view(), name="submit"),
    path("application/summary.pdf", application.summary_pdf, name="summary_pdf"),
    path("application/feedback.pdf", application.feedback_pdf, name="feedback_pdf"),
    path("application/certificate.pdf", application.certificate_pdf, name="certificate_pdf"),
    path(
        "evidence/<int:pk>/remove/",
        application.EvidenceRemoveView.as_view(),
        name="evidence_remove",
    ),
    path("evidence/<int:pk>/", application.evidence_download, name="evidence"),
    path("jury/", jury.JuryListView.as_view(), name="jury"),
    path("jury/<int:pk>/", jury.JuryScoreView.as_view(), name="jury_score"),
    path("jury/<int:pk>/submit/", jury.JurySubmitView.as_view(), name="jury_submit"),
    path("jury/<int:pk>/conflict/", jury.DeclareConflictView.as_view(), name="jury_conflict"),
]
