from django.urls import path

from .views import calendar, dossier, feedback, meetings, public, questions, rsvp, speaker, topics

app_name = "meetings"

urlpatterns = [
    path("", meetings.MeetingListView.as_view(), name="list"),
    path("calendar/", calendar.CalendarFeedView.as_view(), name="calendar"),
    # Feed tokens are URL-safe (CalendarFeed.new_token): anything else is no feed, not a query.
    path("feed/<slug:token>.ics", calendar.feed, name="feed"),
    path("topics/", topics.TopicListView.as_view(), name="topics"),
    path("topics/<int:pk>/vote/", topics.TopicVoteView.as_view(), name="topic_vote"),
    path("rsvp/<str:token>/", rsvp.OneClickAnswerView.as_view(), name="rsvp"),
    path("feedback/<str:token>/", feedback.FeedbackView.as_view(), name="feedback"),
    # The public calendar of public events: no login.
    path("public/", public.PublicEventsView.as_view(), name="public_events"),
    path("public.ics", public.public_ics, name="public_ics"),
    path("public.json", public.public_json, name="public_json"),
    path("speaker/<str:token>/", speaker.SpeakerAnswerView.as_view(), name="speaker_answer"),
    path("<slug:slug>/", meetings.MeetingDetailView.as_view(), name="detail"),
    path("<slug:slug>/calendar.ics", calendar.meeting_ics, name="ics"),
    path("<slug:slug>/answer/", rsvp.AnswerView.as_view(), name="answer"),
    path(
        "<slug:slug>/colleagues/", rsvp.RegisterColleagueView.as_view(), name="register_colleague"
    ),
    path(
        "<slug:slug>/registrations/<int:pk>/cancel/",
        rsvp.CancelRegistrationView.as_view(),
        name="cancel_registration",
    ),
    path(
        "<slug:slug>/materials/<int:pk>/", meetings.MaterialDownloadView.as_view(), name="material"
    ),
    path("<slug:slug>/dossier/", dossier.DossierView.as_view(), name="dossier"),
    path("<slug:slug>/questions/", questions.QuestionsView.as_view(), name="questions"),
    path(
        "<slug:slug>/questions/<int:pk>/edit/",
        questions.QuestionEditView.as_view(),
        name="question_edit",
    ),
    path(
        "<slug:slug>/questions/<int:pk>/withdraw/",
        questions.QuestionWithdrawView.as_view(),
        name="question_withdraw",
    ),
]
