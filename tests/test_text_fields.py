"""Every free-text field of members, meetings, seal and newsletter refuses control and invisible
characters (network_portal.text).

The models and the forms are found by walking the apps, so a new field without the rule makes
this module fail. A one-line field needs ``validate_single_line``; a text of several lines (a
TextField, a Textarea) ``validate_multi_line`` or the stricter one-line rule. The few fields
nobody types are listed below, each with the reason.
"""

import importlib
import inspect
import pkgutil

import pytest
from allauth.mfa.models import Authenticator
from django import forms
from django.apps import apps
from django.db import models

from network_portal.text import validate_multi_line, validate_single_line
from newsletter.models import MailingList
from seal.models import Answer
from tests.factories import CompanyFactory, CoordinatorFactory, ExpertiseOfferFactory, UserFactory
from tests.meetings.factories import MeetingFactory
from tests.newsletter.factories import MailingListFactory
from tests.seal.factories import AwardCycleFactory, CriterionFactory

APPS = ["accounts", "members", "meetings", "seal", "newsletter", "internships"]
RULES = {validate_single_line, validate_multi_line}

MODEL_FIELDS_WITHOUT_THE_RULE = {
    "accounts.User.password": "a password hash (passwords themselves are left alone)",
    "meetings.CalendarFeed.token": "a random token the portal makes",
    "seal.Evidence.content_type": "the type the upload check read from the file's content",
    "seal.Certificate.verification_code": "a random code the portal makes",
    "newsletter.Subscriber.suppression_reason": (
        "written by the bounce service with the portal's own text; read-only in the admin"
    ),
    "newsletter.Subscription.source": "the name of the form that subscribed, set by the service",
    "newsletter.ConsentRecord.form": "the name of the form that recorded the consent",
    "newsletter.ConsentRecord.consent_text": "the portal's own consent text, copied as shown",
    "newsletter.Delivery.email": "a copy of the subscriber's address (checked there)",
    "newsletter.Bounce.email": (
        "reported by the mail provider's webhook: refusing it would lose the bounce; "
        "read-only in the admin, where Django escapes it"
    ),
    "newsletter.Bounce.diagnostic": "a remote mail server's answer, kept as the webhook got it",
    "newsletter.Bounce.source": "set by the bounce service",
}

FORM_FIELDS_WITHOUT_THE_RULE = {
    "members.forms.DirectoryFilterForm.q": (
        "a search term, neither stored nor shown to anyone else; the directory shows no form "
        "errors, so refusing it would silently drop the whole filter (and such a term finds "
        "nothing anyway)"
    ),
    "newsletter.forms.SubscribeForm.website": "the honeypot: never stored, anything in it is a bot",
    "members.csv_io.MemberCsvConfirmForm.payload": (
        "a signed token the portal made; every cell of the CSV in it is checked when parsed"
    ),
    "accounts.allauth_forms.SignupForm.password1": "a password: never stored or shown as typed",
    "accounts.allauth_forms.SignupForm.password2": "a password: never stored or shown as typed",
}


# --------------------------------------------------------------------------------------------
# Models


def _inherited_from_the_plumbing(model, field) -> bool:
    """Fields of network_portal's abstract models (the outbox's status, attempts, last error):
    written by the sending code, not typed by anyone."""
    return any(
        getattr(base, "_meta", None) is not None
        and base._meta.abstract
        and base._meta.app_label == "network_portal"
        and field.name in {f.name for f in base._meta.local_fields}
        for base in model.__mro__[1:]
    )


def _is_free_text_model_field(model, field) -> bool:
    return (
        isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField)
        and not field.choices
        and field.editable
        and not _inherited_from_the_plumbing(model, field)
    )


def _text_model_fields():
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.concrete_fields:
                if _is_free_text_model_field(model, field):
                    yield f"{model._meta.label}.{field.name}", field


def _has_rule(validators, rules=RULES) -> bool:
    return any(validator is rule for validator in validators for rule in rules)


def _problem(validators, *, multiline: bool) -> str | None:
    if _has_rule(validators, RULES if multiline else [validate_single_line]):
        return None
    if _has_rule(validators, [validate_multi_line]):
        return "takes one line but has the rule for several (validate_multi_line)"
    return "has no rule against control and invisible characters"


def test_every_free_text_model_field_refuses_hidden_characters():
    problems = []
    for key, field in _text_model_fields():
        if key in MODEL_FIELDS_WITHOUT_THE_RULE:
            continue
        problem = _problem(field.validators, multiline=isinstance(field, models.TextField))
        if problem:
            problems.append(f"{key} {problem}")
    assert problems == []


def test_every_model_exception_is_still_needed():
    fields = dict(_text_model_fields())
    stale = [
        key
        for key in MODEL_FIELDS_WITHOUT_THE_RULE
        if key not in fields or _has_rule(fields[key].validators)
    ]
    assert stale == []


# --------------------------------------------------------------------------------------------
# Forms


def _modules():
    for app in APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in info.name:
                yield importlib.import_module(info.name)


def _form_classes():
    for module in _modules():
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def _keyword_arguments(cls) -> list[str]:
    """The keyword-only arguments a form needs (``company=``, ``criterion=`` …)."""
    return [
        parameter.name
        for klass in cls.__mro__
        if "__init__" in vars(klass)
        for parameter in inspect.signature(vars(klass)["__init__"]).parameters.values()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
        and parameter.default is inspect.Parameter.empty
    ]


@pytest.fixture
def form_arguments(db):
    """What the portal's forms are built with, one object of each kind."""
    criterion = CriterionFactory()
    return {
        "company": CompanyFactory(),
        "criterion": criterion,
        "criteria": [criterion],
        "target": AwardCycleFactory(),
        "user": CoordinatorFactory(),
        # A passkey, for its edit form (allauth's forms take it as instance=).
        "instance": Authenticator.objects.create(
            user=UserFactory(), type=Authenticator.Type.WEBAUTHN, data={"name": "Laptop"}
        ),
        "public_lists": MailingList.objects.filter(pk=MailingListFactory().pk),
        "available_lists": MailingList.objects.all(),
        "subscribed_ids": [],
        "lists": [MailingListFactory()],
        # The answers a seal holder may show on its public page.
        "answers": Answer.objects.none(),
        # An offer a coordinator asks a company to speak from (meetings.admin.speakers).
        "offer": ExpertiseOfferFactory(),
        "with_meeting": True,
        # The meeting whose experts a question may be addressed to (meetings.forms).
        "meeting": MeetingFactory(),
    }


def _fields_of(cls, arguments) -> dict:
    if issubclass(cls, forms.BaseModelForm) and cls._meta.model is None:
        return dict(cls.base_fields)  # an abstract base of model forms
    needed = _keyword_arguments(cls)
    missing = [name for name in needed if name not in arguments]
    assert not missing, f"{cls.__qualname__} needs {missing}: add them to form_arguments"
    return dict(cls(**{name: arguments[name] for name in needed}).fields)


def _is_free_text_form_field(field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(
        field, forms.SlugField | forms.UUIDField | forms.JSONField
    )


def _model_field_rules(cls, name) -> list | None:
    """The validators of the model field behind a model form's field (model forms check them
    when they validate the instance), or None for a field of the form's own."""
    if not issubclass(cls, forms.BaseModelForm) or cls._meta.model is None:
        return None
    try:
        model_field = cls._meta.model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist: a field of the form's own
        return None
    return list(model_field.validators)


def test_the_walk_finds_the_forms():
    names = {f"{cls.__module__}.{cls.__qualname__}" for cls in _form_classes()}
    assert {
        "accounts.forms.SignupNameForm",
        "members.forms.CompanyForm",
        "meetings.forms.ColleagueForm",
        "meetings.forms.TopicProposalForm",
        "seal.forms.AnswerForm",
        "seal.jury_forms.ScoreForm",
        "seal.admin.ranking.DecisionForm",
        "newsletter.forms.SubscribeForm",
        "newsletter.admin.issues.IssueAdminForm",
        "members.csv_io.MemberCsvConfirmForm",
    } <= names


def test_every_free_text_form_field_refuses_hidden_characters(form_arguments):
    problems, checked = [], 0
    for cls in _form_classes():
        for name, field in _fields_of(cls, form_arguments).items():
            key = f"{cls.__module__}.{cls.__qualname__}.{name}"
            if not _is_free_text_form_field(field) or key in FORM_FIELDS_WITHOUT_THE_RULE:
                continue
            checked += 1
            validators = list(field.validators) + (_model_field_rules(cls, name) or [])
            problem = _problem(validators, multiline=isinstance(field.widget, forms.Textarea))
            if problem:
                problems.append(f"{key} {problem}")
    assert problems == []
    assert checked > 20  # the walk really reached the forms' fields


def test_every_form_exception_is_still_needed(form_arguments):
    fields = {
        f"{cls.__module__}.{cls.__qualname__}.{name}": field
        for cls in _form_classes()
        for name, field in _fields_of(cls, form_arguments).items()
    }
    stale = [
        key
        for key in FORM_FIELDS_WITHOUT_THE_RULE
        if key not in fields or _has_rule(fields[key].validators)
    ]
    assert stale == []
