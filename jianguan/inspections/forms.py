from django import forms
from django.utils.translation import gettext_lazy as _

from jianguan.catalog.choices import PlanMethod
from jianguan.entities.choices import EntityKind

from .choices import RESULT_CODES, AdjustmentAction, Answer, FollowUp

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
GRADE_LABELS = {"A": _("A类（低风险）"), "B": _("B类（一般风险）"), "C": _("C类（较高风险）"), "D": _("D类（高风险）")}


class TaskForm(forms.Form):
    name = forms.CharField(label=_("任务名称"), max_length=200)
    plan_rows = forms.MultipleChoiceField(label=_("年度计划事项"), widget=forms.CheckboxSelectMultiple,
                                          help_text=_("已批准、期间未结束的随机抽查事项；联合抽查可同时选择配合部门的计划事项"))
    participants = forms.MultipleChoiceField(label=_("配合部门（联合抽查）"), required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 6}))
    ratio_A = forms.DecimalField(label=GRADE_LABELS["A"], min_value=0, max_value=100, decimal_places=2, help_text="%")
    ratio_B = forms.DecimalField(label=GRADE_LABELS["B"], min_value=0, max_value=100, decimal_places=2, help_text="%")
    ratio_C = forms.DecimalField(label=GRADE_LABELS["C"], min_value=0, max_value=100, decimal_places=2, help_text="%")
    ratio_D = forms.DecimalField(label=GRADE_LABELS["D"], min_value=0, max_value=100, decimal_places=2, help_text="%")
    period_start = forms.DateField(label=_("检查开始日期"), widget=DATE, required=False)
    period_end = forms.DateField(label=_("检查结束日期"), widget=DATE, required=False)
    method = forms.ChoiceField(label=_("检查方式"), choices=PlanMethod.choices)
    exclude_days = forms.IntegerField(label=_("近期已检查排除期（天）"), min_value=0, max_value=3650)
    targeted = forms.BooleanField(label=_("定向抽查（按下列条件限定对象范围）"), required=False)
    kinds = forms.MultipleChoiceField(label=_("主体类型"), choices=EntityKind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    industry_prefixes = forms.CharField(label=_("行业代码前缀"), required=False, help_text=_("如 F52、H62，多个用逗号分隔"))
    division_prefixes = forms.CharField(label=_("乡镇区划代码前缀"), required=False, help_text=_("如 140430100"))
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, plan_rows=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_rows"].choices = [
            (str(r.pk), f"{r.department.short_name or r.department.name} · {r.item.code} {r.item.name}（{r.get_category_display()}，"
                        f"{r.ratio.normalize():f}%，{r.period_start}～{r.period_end}）") for r in plan_rows]
        self.fields["participants"].choices = [(str(d.pk), d.name) for d in departments]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ResultForm(forms.Form):
    """The phone form: one 符合/不符合/不涉及 choice and a note per check point, then the result and follow-up."""

    checked_on = forms.DateField(label=_("检查日期"), widget=DATE)
    result_code = forms.ChoiceField(label=_("检查结果"), choices=[("", "—")] + [(k, f"{k} {v}") for k, v in RESULT_CODES.items()])
    summary = forms.CharField(label=_("检查情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)
    follow_up = forms.ChoiceField(label=_("后续处置"), choices=FollowUp.choices, initial=FollowUp.NONE)
    correct_by = forms.DateField(label=_("整改期限"), widget=DATE, required=False)
    follow_up_note = forms.CharField(label=_("处置说明"), max_length=500, required=False)
    photo = forms.FileField(label=_("现场照片"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))

    def __init__(self, *args, points=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.points = list(points)
        for p in self.points:
            self.fields[f"point_{p.pk}"] = forms.ChoiceField(label=f"{p.seq}. {p.content}", choices=Answer.choices,
                                                             widget=forms.RadioSelect, required=False)
            self.fields[f"note_{p.pk}"] = forms.CharField(label=_("问题说明"), max_length=500, required=False)

    def point_rows(self):
        return [(p, self[f"point_{p.pk}"], self[f"note_{p.pk}"]) for p in self.points]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["answers"] = {str(p.pk): {"answer": data.pop(f"point_{p.pk}", ""), "note": data.pop(f"note_{p.pk}", "")}
                           for p in self.points}
        data.pop("photo", None)
        return data


class InspectorForm(forms.Form):
    fields_ = forms.CharField(label=_("执法领域"), required=False, help_text=_("如：食品药品、安全生产（空表示不限）"))
    township_code = forms.CharField(label=_("负责乡镇区划代码"), required=False, max_length=12)
    available = forms.BooleanField(label=_("可参加抽查"), required=False)
    unavailable_note = forms.CharField(label=_("不可参加原因"), required=False, max_length=200, help_text=_("如：病假、借调、培训"))


class ConflictForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    reason = forms.CharField(label=_("回避事由"), max_length=300, help_text=_("如：近亲属在该企业任职、曾参与该企业许可审批"))


class RuleForm(forms.Form):
    kinds = forms.MultipleChoiceField(label=_("主体类型"), choices=EntityKind.choices, required=False, widget=forms.CheckboxSelectMultiple)
    industry_prefixes = forms.CharField(label=_("行业代码前缀"), required=False, help_text=_("GB/T 4754-2017，如 F52、H62"))
    licence_keywords = forms.CharField(label=_("持有许可（关键字）"), required=False, help_text=_("如：食品经营许可"))
    filing_keywords = forms.CharField(label=_("已办备案（关键字）"), required=False)
    division_prefixes = forms.CharField(label=_("乡镇区划代码前缀"), required=False)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class AdjustForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    action = forms.ChoiceField(label=_("调整"), choices=AdjustmentAction.choices)
    reason = forms.CharField(label=_("原因"), max_length=300)


class KeyForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    item = forms.ChoiceField(label=_("监管事项"), required=False)
    reason = forms.CharField(label=_("列入理由"), max_length=300, help_text=_("如：涉及公共安全和人民群众生命健康的重点领域"))
    valid_to = forms.DateField(label=_("截止日期"), widget=DATE, required=False)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("本部门全部事项"))] + [(str(i.pk), f"{i.code} {i.name}") for i in items]


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("起始日期"), widget=DATE)
    date_to = forms.DateField(label=_("截止日期"), widget=DATE)
    min_departments = forms.IntegerField(label=_("至少被几个部门检查"), min_value=2, max_value=20, initial=2)
