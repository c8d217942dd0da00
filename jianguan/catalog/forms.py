from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianguan.core.choices import STAFF_ROLES, DepartmentKind
from jianguan.core.models import Department, User

from .basis import format_basis
from .choices import (
    ChangeReason,
    CheckMethod,
    CleanupReason,
    CleanupStatus,
    ItemCategory,
    ItemLevel,
    ItemStatus,
    PlanMethod,
    ProvisionStatus,
    RuleKind,
    StandardLevel,
    SupervisionField,
    SupervisionResult,
    VerificationStatus,
)
from .services._common import department_subtree

DATE = forms.DateInput(attrs={"type": "date"})


def bureaus():
    return Department.objects.filter(parent__isnull=True, is_active=True).order_by("sort_order", "pk")


class VersionFields(forms.Form):
    effective_from = forms.DateField(label=_("生效日期"), widget=DATE, help_text=_("不得早于上一版本的生效日期"))
    reason = forms.ChoiceField(label=_("调整原因"), choices=ChangeReason.choices)
    reason_note = forms.CharField(label=_("调整说明"), max_length=500, required=False,
                                  help_text=_("如：依据《××法》修正，第××条调整"))

    def __init__(self, *args, initial_version=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = timezone.localdate()
        if initial_version:
            self.fields["reason"].choices = [(ChangeReason.INITIAL, ChangeReason.INITIAL.label)]
        else:
            self.fields["reason"].choices = [c for c in ChangeReason.choices if c[0] != ChangeReason.INITIAL]


class ItemForm(VersionFields):
    department = forms.ModelChoiceField(label=_("实施部门"), queryset=Department.objects.none())
    code = forms.RegexField(label=_("监管事项编码"), regex=r"^\d{14}$", max_length=14,
                            error_messages={"invalid": _("监管事项编码应为14位数字")})
    name = forms.CharField(label=_("监管事项名称"), max_length=200)
    level = forms.ChoiceField(label=_("事项层级"), choices=ItemLevel.choices, initial=ItemLevel.COUNTY)
    field = forms.ChoiceField(label=_("监管领域"), choices=SupervisionField.choices)
    supervision_object = forms.CharField(label=_("监管对象"), max_length=300)
    scope = forms.CharField(label=_("监管范围"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    legal_basis = forms.CharField(label=_("监管依据"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  help_text=_("写作《法律法规名称》第X条，多条用分号分隔"))
    method = forms.CharField(label=_("监管方式"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("事项类别"), choices=ItemCategory.choices)
    random_check = forms.BooleanField(label=_("纳入随机抽查事项清单"), required=False)
    approval_to_filing = forms.BooleanField(label=_("审批改备案事项"), required=False)
    responsible_leader = forms.ModelChoiceField(label=_("分管负责人"), queryset=User.objects.none(), required=False)
    handling_unit = forms.ModelChoiceField(label=_("承办机构"), queryset=Department.objects.none(), required=False)
    handling_staff = forms.ModelMultipleChoiceField(label=_("承办人员"), queryset=User.objects.none(), required=False,
                                                    widget=forms.CheckboxSelectMultiple)
    status = forms.ChoiceField(label=_("状态"), choices=ItemStatus.choices, initial=ItemStatus.ACTIVE)

    field_order = ["department", "code", "name", "level", "field", "supervision_object", "scope", "legal_basis", "method",
                   "category", "random_check", "approval_to_filing", "responsible_leader", "handling_unit", "handling_staff",
                   "status", "effective_from", "reason", "reason_note"]

    def __init__(self, *args, actor=None, department=None, item=None, **kwargs):
        super().__init__(*args, initial_version=item is None, **kwargs)
        if actor is not None and actor.is_owner:
            self.fields["department"].queryset = bureaus()
        else:
            from jianguan.core.scope import own_department_ids

            self.fields["department"].queryset = bureaus().filter(pk__in=own_department_ids(actor) if actor else [])
        if item is not None:
            del self.fields["code"]
            if not (actor and actor.is_owner):
                del self.fields["department"]
            department = item.department
        elif department is None and self.fields["department"].queryset.count() == 1:
            department = self.fields["department"].queryset.first()
            self.fields["department"].initial = department
        if department is not None:
            tree = department_subtree(department.pk)
            people = User.objects.filter(department_id__in=tree, is_active=True, role__in=STAFF_ROLES).order_by("display_name")
            self.fields["responsible_leader"].queryset = people
            self.fields["handling_staff"].queryset = people
            self.fields["handling_unit"].queryset = Department.objects.filter(pk__in=tree, is_active=True).order_by("sort_order")
        else:
            for name in ("responsible_leader", "handling_staff", "handling_unit"):
                self.fields[name].help_text = _("选定实施部门并保存后可指定")
        for name in ("responsible_leader", "handling_staff"):
            self.fields[name].label_from_instance = lambda u: f"{u.display_name}（{u.get_role_display()}）"

    @staticmethod
    def initial_for(item) -> dict:
        return {
            "name": item.name, "level": item.level, "field": item.field, "supervision_object": item.supervision_object,
            "scope": item.scope, "method": item.method, "category": item.category, "random_check": item.random_check,
            "approval_to_filing": item.approval_to_filing, "responsible_leader": item.responsible_leader,
            "handling_unit": item.handling_unit, "handling_staff": list(item.handling_staff.all()), "status": item.status,
            "department": item.department,
            "legal_basis": format_basis([(b.provision.law_name, b.provision.article) for b in item.bases.select_related("provision")]),
        }


class ImplForm(VersionFields):
    code = forms.CharField(label=_("检查实施清单编码"), max_length=40, help_text=_("所属监管事项编码加1至26位数字或大写字母"))
    name = forms.CharField(label=_("检查实施清单名称"), max_length=200)
    agency = forms.ModelChoiceField(label=_("实施机构"), queryset=Department.objects.none())
    check_object = forms.CharField(label=_("检查对象"), max_length=300)
    method = forms.ChoiceField(label=_("检查方式"), choices=CheckMethod.choices)
    frequency = forms.CharField(label=_("检查频次"), max_length=100)
    check_points = forms.CharField(label=_("检查要点"), widget=forms.Textarea(attrs={"rows": 6}),
                                   help_text=_("每行一项，按检查顺序；可用“｜”分隔检查内容和依据"))
    basis = forms.CharField(label=_("检查依据"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    result_handling = forms.CharField(label=_("结果处理"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=ItemStatus.choices, initial=ItemStatus.ACTIVE)

    field_order = ["code", "name", "agency", "check_object", "method", "frequency", "check_points", "basis", "result_handling",
                   "status", "effective_from", "reason", "reason_note"]

    def __init__(self, *args, item, impl=None, **kwargs):
        super().__init__(*args, initial_version=impl is None, **kwargs)
        self.fields["agency"].queryset = Department.objects.filter(pk__in=department_subtree(item.department_id)).order_by("sort_order")
        self.fields["agency"].initial = item.department
        if impl is not None:
            del self.fields["code"]
        else:
            self.fields["code"].initial = item.code

    def points(self) -> list[tuple[str, str]]:
        from .services.imports import _points

        return _points(self.cleaned_data["check_points"])

    @staticmethod
    def initial_for(impl) -> dict:
        return {
            "name": impl.name, "agency": impl.agency, "check_object": impl.check_object, "method": impl.method,
            "frequency": impl.frequency, "basis": impl.basis, "result_handling": impl.result_handling, "status": impl.status,
            "check_points": "\n".join(f"{p.content}｜{p.basis}" if p.basis else p.content for p in impl.check_points.order_by("seq")),
        }


class GuidelineForm(forms.Form):
    content = forms.CharField(label=_("监管内容"), widget=forms.Textarea(attrs={"rows": 5}))
    method = forms.CharField(label=_("监管方法"), widget=forms.Textarea(attrs={"rows": 4}))
    basis = forms.CharField(label=_("监管依据"), widget=forms.Textarea(attrs={"rows": 3}))
    result_handling = forms.CharField(label=_("检查结果处理"), widget=forms.Textarea(attrs={"rows": 4}))


class ProvisionForm(forms.Form):
    law_name = forms.CharField(label=_("法律法规名称"), max_length=200)
    article = forms.CharField(label=_("条款"), max_length=60, required=False)
    text = forms.CharField(label=_("条文摘要"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ProvisionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("效力状态"), choices=ProvisionStatus.choices)
    on = forms.DateField(label=_("变更日期"), widget=DATE)
    note = forms.CharField(label=_("依据"), max_length=300, required=False, help_text=_("如：新法名称、公布文号"))


class ReviewClearForm(forms.Form):
    note = forms.CharField(label=_("复核结论"), max_length=300)


class RuleForm(forms.Form):
    department = forms.ModelChoiceField(label=_("负责部门"), queryset=Department.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=RuleKind.choices)
    level = forms.ChoiceField(label=_("层级"), choices=StandardLevel.choices)
    field = forms.ChoiceField(label=_("监管领域"), choices=SupervisionField.choices)
    title = forms.CharField(label=_("名称"), max_length=300)
    number = forms.CharField(label=_("标准号/文号"), max_length=100, required=False)
    issuing_body = forms.CharField(label=_("发布机关"), max_length=200, required=False)
    issued_on = forms.DateField(label=_("发布日期"), widget=DATE, required=False)
    effective_on = forms.DateField(label=_("实施日期"), widget=DATE, required=False)
    summary = forms.CharField(label=_("主要内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    mandatory = forms.BooleanField(label=_("强制性"), required=False)

    def __init__(self, *args, actor=None, rule=None, **kwargs):
        super().__init__(*args, **kwargs)
        if rule is not None:
            del self.fields["department"]
        elif actor is not None and actor.is_owner:
            self.fields["department"].queryset = bureaus()
        else:
            from jianguan.core.scope import own_department_ids

            qs = bureaus().filter(pk__in=own_department_ids(actor) if actor else [])
            self.fields["department"].queryset = qs
            self.fields["department"].initial = qs.first()


class RuleCleanupForm(forms.Form):
    status = forms.ChoiceField(label=_("清理状态"), choices=CleanupStatus.choices)
    reason = forms.ChoiceField(label=_("清理原因"), choices=[("", "—")] + list(CleanupReason.choices), required=False)
    note = forms.CharField(label=_("清理说明"), max_length=500, required=False)
    due = forms.DateField(label=_("清理完成期限"), widget=DATE, required=False)


class ReasonForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class DepartmentPlanForm(forms.Form):
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        from jianguan.core.scope import own_department_ids

        qs = bureaus() if actor is not None and actor.is_owner else bureaus().filter(pk__in=own_department_ids(actor) if actor else [])
        self.fields["department"].queryset = qs.filter(kind=DepartmentKind.BUREAU)
        self.fields["department"].initial = qs.first()
        self.fields["year"].initial = timezone.localdate().year


class PlanRowForm(forms.Form):
    item = forms.ModelChoiceField(label=_("监管事项"), queryset=None)
    object_scope = forms.CharField(label=_("检查对象范围"), max_length=300)
    category = forms.ChoiceField(label=_("事项类别"), choices=ItemCategory.choices)
    ratio = forms.DecimalField(label=_("抽查比例（%）"), min_value=0, max_value=100, decimal_places=2, max_digits=5)
    frequency = forms.IntegerField(label=_("抽查频次（次）"), min_value=1, initial=1)
    period_start = forms.DateField(label=_("开始日期"), widget=DATE)
    period_end = forms.DateField(label=_("结束日期"), widget=DATE)
    method = forms.ChoiceField(label=_("检查方式"), choices=PlanMethod.choices)
    cooperating_departments = forms.ModelMultipleChoiceField(label=_("配合部门"), queryset=Department.objects.none(), required=False,
                                                             widget=forms.SelectMultiple(attrs={"size": 4}))
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import SupervisionItem

        self.fields["item"].queryset = SupervisionItem.objects.filter(
            department_id__in=department_subtree(plan.department_id), status=ItemStatus.ACTIVE).order_by("code")
        self.fields["cooperating_departments"].queryset = bureaus().exclude(pk=plan.department_id)
        self.fields["period_start"].initial = max(timezone.localdate(), timezone.localdate().replace(year=plan.year, month=1, day=1))
        self.fields["period_end"].initial = timezone.localdate().replace(year=plan.year, month=12, day=31)


class RouteForm(forms.Form):
    matter = forms.CharField(label=_("审批事项"), max_length=200)
    keyword = forms.CharField(label=_("匹配关键词"), max_length=100, help_text=_("许可证书名称或许可决定文书名称包含该词即匹配"))
    approval_department = forms.ModelChoiceField(label=_("审批部门"), queryset=Department.objects.none(), required=False,
                                                 help_text=_("留空表示任何许可机关"))
    supervising_department = forms.ModelChoiceField(label=_("监管部门"), queryset=Department.objects.none())
    priority = forms.IntegerField(label=_("优先级"), min_value=0, max_value=999, initial=100)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approval_department"].queryset = bureaus()
        self.fields["supervising_department"].queryset = bureaus()


class FeedbackForm(forms.Form):
    result = forms.ChoiceField(label=_("监管结果"), choices=SupervisionResult.choices)
    note = forms.CharField(label=_("结果说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class FilingMatterForm(forms.Form):
    name = forms.CharField(label=_("备案事项"), max_length=200)
    keyword = forms.CharField(label=_("匹配关键词"), max_length=100, help_text=_("备案事项名称包含该词即为此事项的备案"))
    item = forms.ModelChoiceField(label=_("对应监管事项"), queryset=None, required=False)
    industry_codes = forms.CharField(label=_("行业代码"), max_length=300, required=False,
                                     help_text=_("GB/T 4754-2017 代码或前缀，多个用逗号分隔，如：F5274,O8051"))
    licence_keywords = forms.CharField(label=_("许可关键词"), max_length=300, required=False,
                                       help_text=_("持有名称含这些词的许可即视为从事该活动，多个用逗号分隔"))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import SupervisionItem

        self.fields["item"].queryset = SupervisionItem.objects.filter(department=department, approval_to_filing=True,
                                                                      status=ItemStatus.ACTIVE).order_by("code")


class VerificationForm(forms.Form):
    status = forms.ChoiceField(label=_("核查结论"), choices=[c for c in VerificationStatus.choices if c[0] != VerificationStatus.PENDING])
    note = forms.CharField(label=_("核查情况"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
