"""Status and type enums of the core app, with Chinese labels."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    INSPECTOR = "inspector", _("执法人员")
    REVIEWER = "reviewer", _("法制审核员")
    DEPT_ADMIN = "dept_admin", _("部门管理员")
    DEPT_LEADER = "dept_leader", _("部门负责人")
    OWNER = "owner", _("协调办/平台管理员")


#: Roles that belong to a department (everyone but enterprises).
STAFF_ROLES = {Role.INSPECTOR, Role.REVIEWER, Role.DEPT_ADMIN, Role.DEPT_LEADER, Role.OWNER}


class DepartmentKind(models.TextChoices):
    BUREAU = "bureau", _("县直部门")
    UNIT = "unit", _("内设科室/执法队")
    OFFICE = "office", _("议事协调机构")


class HolidayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日（休息）")
    WORKDAY = "workday", _("调休上班日")


class ShareScope(models.TextChoices):
    ALL = "all", _("全部业务数据")
    READ = "read", _("只读查阅")
