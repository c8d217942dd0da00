from django import forms
from django.utils.translation import gettext_lazy as _

from . import params
from .choices import DepartmentKind, HolidayKind, Role, ShareScope
from .models import Department


class LoginForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("密码"), max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("原密码"), max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(label=_("新密码"), max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label=_("确认新密码"), max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致"))
        return data


class AccountForm(forms.Form):
    username = forms.RegexField(label=_("用户名"), max_length=150, min_length=3, regex=r"^[A-Za-z0-9_.@-]+$",
                                error_messages={"invalid": _("用户名只能包含字母、数字和 _ . @ -")})
    display_name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    department = forms.ModelChoiceField(label=_("所属部门"), queryset=Department.objects.filter(is_active=True), required=False)
    cert_no = forms.CharField(label=_("执法证号"), max_length=30, required=False)
    enforcement_fields = forms.CharField(label=_("执法领域"), max_length=200, required=False)
    qualifications = forms.CharField(label=_("资格"), max_length=200, required=False)
    has_legal_qualification = forms.BooleanField(label=_("具有法律职业资格"), required=False)
    uscc = forms.CharField(label=_("统一社会信用代码（企业账号）"), max_length=18, required=False)
    phone = forms.RegexField(label=_("手机号"), max_length=20, required=False, regex=r"^[0-9+\- ]{7,20}$",
                             error_messages={"invalid": _("手机号格式不正确")})
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)

    def __init__(self, *args, actor=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if actor is not None and not actor.is_owner:
            self.fields["role"].choices = [(v, l) for v, l in Role.choices if v not in (Role.OWNER, Role.ENTERPRISE)]
            from .scope import own_department_ids

            self.fields["department"].queryset = Department.objects.filter(pk__in=own_department_ids(actor), is_active=True)
        if editing:
            for name in ("username", "role"):
                self.fields[name].disabled = True
                self.fields[name].required = False


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


class TokenForm(forms.Form):
    username = forms.CharField(label=_("账号用户名"), max_length=150)
    name = forms.CharField(label=_("用途"), max_length=100)
    expires_days = forms.IntegerField(label=_("有效期（天）"), min_value=1, max_value=3650, initial=365)


class ParameterForm(forms.Form):
    key = forms.ChoiceField(label=_("参数"))
    value = forms.CharField(label=_("新取值"), max_length=100)
    effective_from = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("调整依据"), max_length=300)
    citation = forms.CharField(label=_("法规出处"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(k, f"{s.label}（{k}）") for k, s in sorted(params.REGISTRY.items())]


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("类型"), choices=HolidayKind.choices)
    name = forms.CharField(label=_("名称"), max_length=30)


class DeadlineForm(forms.Form):
    rule = forms.ChoiceField(label=_("期限规则"))
    start = forms.DateField(label=_("起算日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .workdays import DEADLINE_RULES

        self.fields["rule"].choices = [(k, str(params.REGISTRY[k].label)) for k in DEADLINE_RULES]


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=30, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=DepartmentKind.choices)
    parent = forms.ModelChoiceField(label=_("上级部门"), queryset=Department.objects.filter(is_active=True), required=False,
                                    help_text=_("内设科室、执法队须选择所属部门"))
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    region_code = forms.CharField(label=_("行政区划代码"), max_length=12)
    duties = forms.CharField(label=_("主要职责"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=100000, initial=100)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class ShareForm(forms.Form):
    grantee = forms.ModelChoiceField(label=_("共享给"), queryset=Department.objects.filter(is_active=True, parent__isnull=True))
    scope = forms.ChoiceField(label=_("共享范围"), choices=ShareScope.choices)
    reason = forms.CharField(label=_("共享依据"), max_length=200)
