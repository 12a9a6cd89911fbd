"""factory_boy factories for the whole suite; all names are fictional."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from members.models import (
    Company,
    CompanyMembership,
    ContactPerson,
    ExpertiseOffer,
    ExpertiseTopic,
    Industry,
    LegalForm,
    SizeClass,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    password = factory.PostGenerationMethodCall("set_password", "geheim-123-trier")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Users have a verified primary address unless built with verified=False."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class CoordinatorFactory(UserFactory):
    is_staff = True
    is_superuser = True


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Moselblick Betrieb {n} GmbH")
    slug = factory.Sequence(lambda n: f"moselblick-betrieb-{n}")
    legal_form = LegalForm.GMBH
    industry = Industry.CRAFTS
    size_class = SizeClass.MEDIUM
    street = "Paulinstraße 12"
    postcode = "54292"
    city = "Trier"
    status = Company.Status.ACTIVE
    member_since = factory.LazyFunction(timezone.localdate)
    directory_consent = True


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    company = factory.SubFactory(CompanyFactory)
    salutation = ContactPerson.Salutation.MS
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    function = ContactPerson.Function.HR
    email = factory.Sequence(lambda n: f"kontakt{n}@example.org")
    # A contact who has asked for the newsletter (the model's default is opt-in: no).
    wants_newsletter = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyMembership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = CompanyMembership.Role.MEMBER


class CompanyAdminFactory(MembershipFactory):
    role = CompanyMembership.Role.ADMIN


def company_profile_form(company, **changes) -> dict:
    """The company profile form as a company admin sends it: ``company``'s values (listed in
    the directory), with ``changes``."""
    data = {
        "name": company.name,
        "legal_form": company.legal_form,
        "industry": company.industry,
        "size_class": company.size_class,
        "street": company.street,
        "postcode": company.postcode,
        "city": company.city,
        "directory_consent": "on",
    }
    return {**data, **changes}


class ExpertiseTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertiseTopic
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Fachthema {n}")


class ExpertiseOfferFactory(factory.django.DjangoModelFactory):
    """A company's offer to report from practice; ``topics=[...]`` sets its topics."""

    class Meta:
        model = ExpertiseOffer
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    kind = ExpertiseOffer.Kind.REPORT
    description = "Wir berichten aus unserer Praxis."
    contact = factory.LazyAttribute(lambda o: ContactPersonFactory(company=o.company))

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)
