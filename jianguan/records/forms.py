from django import forms
from django.utils.translation import gettext_lazy as _

from jianguan.core.models import Department

from .choices import ImportFormat, MatchStatus, RecordKind, RecordStatus


class ImportForm(forms.Form):
    format = forms.ChoiceField(label=_("数据格式"), choices=ImportFormat.choices)
    file = forms.FileField(label=_("文件（CSV、XLSX 或 JSON）"))
    department = forms.ModelChoiceField(label=_("数据所属部门"), required=False,
                                        queryset=Department.objects.filter(is_active=True, parent__isnull=True),
                                        help_text=_("实施机构未在部门目录中登记时，记录归入此部门"))

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actor is not None and not actor.is_owner:
            del self.fields["department"]


class RecordFilterForm(forms.Form):
    q = forms.CharField(label=_("相对人名称、事项或统一社会信用代码"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部"))] + RecordKind.choices)
    match_status = forms.ChoiceField(label=_("匹配状态"), required=False, choices=[("", _("全部"))] + MatchStatus.choices)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))] + RecordStatus.choices)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class MatchForm(forms.Form):
    uscc = forms.CharField(label=_("关联到统一社会信用代码"), max_length=18)
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("交换格式"), choices=ImportFormat.choices)
    type = forms.ChoiceField(label=_("文件类型"), choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("json", "JSON")])
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
