from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (AbnormalGround, CheckAction, CommitmentKind, Grade, MeasureKind, ObjectionOutcome, Scenario, SeriousGround,
                      Trigger)


class CheckForm(forms.Form):
    scenario = forms.ChoiceField(label=_("业务场景"), choices=Scenario.choices)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    id_number = forms.CharField(label=_("或 身份证号"), max_length=18, required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("uscc")) == bool(data.get("id_number")):
            raise forms.ValidationError(_("请填写统一社会信用代码或身份证号之一"))
        return data


class CheckReportForm(forms.Form):
    action = forms.ChoiceField(label=_("处理情况"), choices=CheckAction.choices)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class AdjustmentForm(forms.Form):
    to_grade = forms.ChoiceField(label=_("调整为"), choices=Grade.choices)
    reason = forms.CharField(label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("决定"), choices=[("1", _("批准")), ("0", _("不予批准"))], coerce=lambda v: v == "1")
    note = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)


class ObjectionDecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=ObjectionOutcome.choices)
    note = forms.CharField(label=_("处理意见（将告知申请人）"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class SeriousProposeForm(forms.Form):
    ground = forms.ChoiceField(label=_("列入事由"), choices=SeriousGround.choices)
    facts = forms.CharField(label=_("违法失信事实"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    basis = forms.CharField(label=_("依据"), max_length=500, initial=_("《市场监督管理严重违法失信名单管理办法》"))


class AbnormalForm(forms.Form):
    ground = forms.ChoiceField(label=_("列入事由"), choices=[c for c in AbnormalGround.choices if c[0] != AbnormalGround.ANNUAL_REPORT])
    facts = forms.CharField(label=_("事实"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    decision_no = forms.CharField(label=_("决定书文号"), max_length=100, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300)


class ConsentForm(forms.Form):
    document = forms.CharField(label=_("上级同意文号"), max_length=100)
    consent_on = forms.DateField(label=_("同意日期"), widget=forms.DateInput(attrs={"type": "date"}))


class ObjectionForm(forms.Form):
    reason = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    contact = forms.CharField(label=_("联系方式"), max_length=100, required=False)


class RepairForm(forms.Form):
    reason = forms.CharField(label=_("纠正失信行为情况"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    materials = forms.CharField(label=_("证明材料"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000,
                                help_text=_("如：罚款缴纳凭证、整改报告"))
    pledge = forms.CharField(label=_("信用修复承诺"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000,
                             initial=_("本单位承诺所提交材料真实有效，今后严格遵守法律法规，诚信经营。"))
    attachment = forms.FileField(label=_("材料附件"), required=False)


class CommitmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("承诺类型"), choices=CommitmentKind.choices)
    matter = forms.CharField(label=_("承诺事项"), max_length=200)
    text = forms.CharField(label=_("承诺内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    term_end = forms.DateField(label=_("承诺期限至"), widget=forms.DateInput(attrs={"type": "date"}))


class AnnualReportForm(forms.Form):
    year = forms.IntegerField(label=_("报告年度"), min_value=2000, max_value=2100)
    operating = forms.BooleanField(label=_("开展经营活动"), required=False, initial=True)
    employees = forms.IntegerField(label=_("从业人数"), min_value=0, required=False)
    revenue = forms.DecimalField(label=_("营业总收入（元）"), min_value=0, max_digits=18, decimal_places=2, required=False)
    total_assets = forms.DecimalField(label=_("资产总额（元）"), min_value=0, max_digits=18, decimal_places=2, required=False)
    tax_paid = forms.DecimalField(label=_("纳税总额（元）"), min_value=0, max_digits=18, decimal_places=2, required=False)
    address = forms.CharField(label=_("通信地址"), max_length=300)
    phone = forms.CharField(label=_("联系电话"), max_length=30)
    email = forms.CharField(label=_("电子邮箱"), max_length=100, required=False)
    website = forms.CharField(label=_("网站或网店网址"), max_length=200, required=False)
    publish_financials = forms.BooleanField(label=_("公示资产状况信息"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class MeasureForm(forms.Form):
    code = forms.CharField(label=_("编码"), max_length=30)
    name = forms.CharField(label=_("措施名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=MeasureKind.choices)
    trigger = forms.ChoiceField(label=_("触发条件"), choices=Trigger.choices)
    scenario = forms.ChoiceField(label=_("业务场景"), choices=Scenario.choices)
    content = forms.CharField(label=_("措施内容"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    legal_basis = forms.CharField(label=_("法律依据"), max_length=500)
    implementer = forms.CharField(label=_("实施部门"), max_length=200, required=False)
    effective_from = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))


class PublicSearchForm(forms.Form):
    q = forms.CharField(label=_("名称或统一社会信用代码"), max_length=100)


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("报告验证码"), max_length=20)
