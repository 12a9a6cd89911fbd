"""Hostile input on the seal application: start, steps with evidence, submit, PDFs, lookup."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from seal.models import Application, Evidence
from tests.forms.harness import (
    OPTIONAL_WORDS,
    PNG,
    TINY_PDF,
    FileSpec,
    bogus_file,
    form_data,
    fuzz,
    ids_or_junk,
    path_segment,
    url_with,
)
from tests.seal.factories import (
    AnswerFactory,
    ApplicationFactory,
    AwardCycleFactory,
    CategoryFactory,
    CertificateFactory,
    CriterionFactory,
    EvidenceFactory,
)

GOOD_FILES = [
    FileSpec("Weiterbildungsplan.pdf", TINY_PDF, "application/pdf"),
    FileSpec("Aushang.png", PNG, "image/png"),
]
MAGIC = {"application/pdf": b"%PDF-", "image/png": b"\x89PNG", "image/jpeg": b"\xff\xd8\xff"}


@pytest.fixture
def catalogue():
    cycle = AwardCycleFactory(name="2027", slug="2027")
    first = CategoryFactory(cycle=cycle, name="Weiterbildung", position=1)
    second = CategoryFactory(cycle=cycle, name="Gesundheit", position=2)
    criteria = [
        CriterionFactory(category=first, evidence_required=True),
        CriterionFactory(category=first),
        CriterionFactory(category=second),
    ]
    earlier = CategoryFactory(cycle=AwardCycleFactory(name="2025", slug="2025"))
    return {"cycle": cycle, "categories": [first, second, earlier], "criteria": criteria}


@pytest.fixture
def application(catalogue, company, company_admin):
    return Application.objects.create(
        cycle=catalogue["cycle"], company=company, started_by=company_admin
    )


@pytest.fixture
def foreign_evidence(catalogue, other_company_admin):
    other = ApplicationFactory(
        cycle=catalogue["cycle"], company=other_company_admin.membership.company
    )
    answer = AnswerFactory(application=other, criterion=catalogue["criteria"][0])
    return EvidenceFactory(answer=answer)


def answer_fields(criterion):
    prefix = f"criterion-{criterion.pk}-"
    files = st.lists(st.one_of(st.sampled_from(GOOD_FILES), bogus_file()), max_size=4)
    return {
        prefix + "self_assessment": st.sampled_from(["", "0", "2", "4"]),
        prefix + "explanation": OPTIONAL_WORDS,
        prefix + "files": st.one_of(files, st.lists(st.sampled_from(GOOD_FILES), max_size=4)),
    }


def test_application_start(probe, company_admin, catalogue):
    probe.client.force_login(company_admin)

    @fuzz(10)
    @given(extra=form_data({}))
    def run(extra):
        with probe.example():
            probe.submit(reverse("seal:application"), extra)
            assert Application.objects.count() == 1

    run()
    probe.stats.require(rejected_with_messages=False)


def test_application_step(probe, settings, company_admin, application, catalogue, foreign_evidence):
    settings.SEAL_EVIDENCE_MAX_FILES = 2
    first, second, earlier = catalogue["categories"]
    fields = {"action": st.sampled_from(["save", "continue"])}
    for criterion in catalogue["criteria"]:
        fields.update(answer_fields(criterion))
    probe.client.force_login(company_admin)

    @fuzz(40)
    @given(segment=ids_or_junk(first.pk, second.pk, earlier.pk), data=form_data(fields))
    def run(segment, data):
        with probe.example():
            probe.submit(url_with("seal:application_step", segment), data)
            for evidence in Evidence.objects.filter(answer__application=application):
                # Only checked content is stored, within the count limit, under a random name.
                with evidence.file.open("rb") as stored:
                    assert stored.read(5).startswith(MAGIC[evidence.content_type])
                assert evidence.answer.evidence.count() <= 2
                assert evidence.original_name not in evidence.file.name
            assert Evidence.objects.filter(pk=foreign_evidence.pk).exists()

    run()
    probe.stats.require()


def test_application_submit_and_evidence_removal(
    probe, company_admin, application, catalogue, foreign_evidence
):
    own = EvidenceFactory(
        answer=AnswerFactory(application=application, criterion=catalogue["criteria"][0])
    )
    probe.client.force_login(company_admin)

    @fuzz(30)
    @given(
        target=st.one_of(st.just(None), ids_or_junk(own.pk, foreign_evidence.pk)),
        extra=form_data({}),
    )
    def run(target, extra):
        url = reverse("seal:submit") if target is None else url_with("seal:evidence_remove", target)
        with probe.example():
            probe.submit(url, extra)
            assert Evidence.objects.filter(pk=foreign_evidence.pk).exists()
            application.refresh_from_db()
            assert application.submitted_at is None  # the catalogue is not complete

    run()
    probe.stats.require()


@pytest.mark.parametrize("name", ["seal:summary_pdf", "seal:feedback_pdf", "seal:certificate_pdf"])
def test_pdf_downloads_with_any_cycle(probe, company_admin, application, name):
    probe.client.force_login(company_admin)

    @fuzz(15)
    @given(cycle=st.one_of(st.sampled_from(["2027", "2025"]), path_segment()))
    def run(cycle):
        with probe.example():
            probe.submit(reverse(name), {"cycle": cycle}, method="get")

    run()
    probe.stats.require(accepted=False)


def test_certificate_verification_lookup(probe, catalogue):
    certificate = CertificateFactory()  # of a published cycle: the public may look it up
    code = certificate.verification_code

    @fuzz(30)
    @given(
        code=st.one_of(st.sampled_from([code, code.lower(), f" {code} "]), path_segment()),
        name=st.sampled_from(["seal:verify", "seal:badge"]),
    )
    def run(code, name):
        with probe.example():
            probe.submit(url_with(name, code), method="get")

    run()
    probe.stats.require()
