from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import EntityKind, EntityStatus, PersonRole
from .reference import INDUSTRIES, TOWNSHIPS


class EntitySearchForm(forms.Form):
    q = forms.CharField(label=_("名称或统一社会信用代码"), max_length=100, required=False)
    rep = forms.CharField(label=_("法定代表人/负责人"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("主体类型"), required=False, choices=[("", _("全部"))] + EntityKind.choices)
    industry = forms.ChoiceField(label=_("行业"), required=False)
    division = forms.ChoiceField(label=_("乡镇"), required=False)
    status = forms.ChoiceField(label=_("登记状态"), required=False, choices=[("", _("全部"))] + EntityStatus.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [("", _("全部"))] + [(k, f"{k} {v}") for k, v in INDUSTRIES.items() if len(k) <= 3]
        self.fields["division"].choices = [("", _("全部"))] + list(TOWNSHIPS.items())


class EntityForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    name = forms.CharField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(label=_("主体类型"), choices=EntityKind.choices)
    legal_representative = forms.CharField(label=_("法定代表人/负责人"), max_length=50, required=False)
    registered_capital = forms.DecimalField(label=_("注册资本（元）"), max_digits=18, decimal_places=2, min_value=0, required=False)
    established_on = forms.DateField(label=_("成立日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    division_code = forms.CharField(label=_("行政区划代码"), max_length=12, help_text=_("乡镇9位，如 140430100（定昌镇）"))
    industry_code = forms.CharField(label=_("国民经济行业代码"), max_length=5, required=False, help_text=_("GB/T 4754-2017，如 H6210"))
    registered_address = forms.CharField(label=_("住所"), max_length=300, required=False)
    business_address = forms.CharField(label=_("经营场所"), max_length=300, required=False)
    business_scope = forms.CharField(label=_("经营范围"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    registration_authority = forms.CharField(label=_("登记机关"), max_length=100, required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["uscc"].disabled = True
            self.fields["uscc"].required = False


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=EntityStatus.choices)
    on = forms.DateField(label=_("变更日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("依据"), max_length=300)


class PersonLinkForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("职务/身份"), choices=PersonRole.choices)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
