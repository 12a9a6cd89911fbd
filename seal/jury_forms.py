"""Forms of the jury pages: scores per criterion and the declaration of a conflict of interest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from network_portal.text import validate_multi_line


def points_field_name(criterion) -> str:
    return f"points_{criterion.pk}"


def comment_field_name(criterion) -> str:
    return f"comment_{criterion.pk}"


class ScoreForm(forms.Form):
    """Points (0 … scale_max, with the level descriptions) and an optional comment for every
    criterion of the catalogue. Nothing is required: a juror may save some criteria now and the
    rest later; only a comment without points cannot be saved."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            levels = {level.points: level.description for level in criterion.levels.all()}
            self.fields[points_field_name(criterion)] = forms.TypedChoiceField(
                label=_("Points"),
                choices=[
                    (points, f"{points} – {levels[points]}" if points in levels else str(points))
                    for points in range(criterion.scale_max + 1)
                ],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[comment_field_name(criterion)] = forms.CharField(
                label=_("Comment (optional)"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                validators=[validate_multi_line],
            )

    @classmethod
    def initial_from(cls, scores) -> dict:
        """The juror's own saved scores as the form's initial values."""
        initial = {}
        for score in scores:
            initial[f"points_{score.criterion_id}"] = score.points
            initial[f"comment_{score.criterion_id}"] = score.comment
        return initial

    def clean(self):
        data = super().clean()
        for criterion in self.criteria:
            points = data.get(points_field_name(criterion))
            comment = (data.get(comment_field_name(criterion)) or "").strip()
            if comment and points is None and points_field_name(criterion) not in self.errors:
                self.add_error(
                    points_field_name(criterion),
                    _("Please choose the points for this criterion to save your comment."),
                )
        return data

    def filled(self) -> list[tuple]:
        """[(criterion, points, comment)] for every criterion the juror has given points."""
        return [
            (
                criterion,
                self.cleaned_data[points_field_name(criterion)],
                self.cleaned_data.get(comment_field_name(criterion)) or "",
            )
            for criterion in self.criteria
            if self.cleaned_data.get(points_field_name(criterion)) is not None
        ]

    def fields_for(self, criterion) -> tuple:
        """The bound points and comment fields of one criterion, for the template."""
        return self[points_field_name(criterion)], self[comment_field_name(criterion)]


class DeclareConflictForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I confirm that I have a conflict of interest and will not judge this application."
        ),
        required=True,
        error_messages={
            "required": _("Please confirm the conflict of interest with the checkbox."),
        },
    )
