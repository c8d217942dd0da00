import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ProgressStatus
from .services import period_of, previous_period


def recent_periods(count: int = 4) -> list[str]:
    """The current quarter and the ones before it (reports are for periods that have begun)."""
    periods = [period_of(timezone.localdate())]
    while len(periods) < count:
        periods.append(previous_period(periods[-1]))
    return periods


class ProgressForm(forms.Form):
    period = forms.ChoiceField(label=_("报告期"))
    status = forms.ChoiceField(label=_("进展状态"), choices=ProgressStatus.choices)
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    file = forms.FileField(label=_("附件（可选）"), required=False,
                           help_text=_("PDF、OFD、Word、Excel 或图片，单个文件不超过上限"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p, p) for p in recent_periods()]


class UrgeForm(forms.Form):
    department = forms.ChoiceField(label=_("督办对象"))
    content = forms.CharField(label=_("督办事项"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    deadline = forms.DateField(label=_("办理期限"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [(d.pk, d.name) for d in departments]
        self.fields["deadline"].initial = timezone.localdate() + dt.timedelta(days=10)


class UrgeResponseForm(forms.Form):
    response = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class UrgeCloseForm(forms.Form):
    note = forms.CharField(label=_("办结意见"), max_length=500, required=False)
