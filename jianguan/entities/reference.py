"""Reference lists the entity pages use: 沁县's townships and the GB/T 4754-2017 industries the county has.

Township codes follow the GB/T 2260 + 统计用区划代码 pattern (county code + 3 digits); the platform accepts any
valid 9-digit code, these only label the filter and the demo data.
"""
from django.utils.translation import gettext_lazy as _

TOWNSHIPS: dict[str, str] = {
    "140430100": "定昌镇",
    "140430101": "郭村镇",
    "140430102": "故县镇",
    "140430103": "新店镇",
    "140430104": "漳源镇",
    "140430105": "册村镇",
    "140430106": "松村镇",
    "140430107": "次村镇",
    "140430108": "牛寺镇",
    "140430200": "南里乡",
    "140430201": "南泉乡",
    "140430202": "杨安乡",
    "140430203": "段柳乡",
}

#: GB/T 4754-2017 codes (门类 letter + 大类/中类/小类 digits) for the industries present in 沁县.
INDUSTRIES: dict[str, str] = {
    "A": _("农、林、牧、渔业"),
    "A01": _("农业"),
    "A03": _("畜牧业"),
    "A05": _("农、林、牧、渔专业及辅助性活动"),
    "B": _("采矿业"),
    "B06": _("煤炭开采和洗选业"),
    "C": _("制造业"),
    "C13": _("农副食品加工业"),
    "C14": _("食品制造业"),
    "C15": _("酒、饮料和精制茶制造业"),
    "C27": _("医药制造业"),
    "D": _("电力、热力、燃气及水生产和供应业"),
    "D45": _("燃气生产和供应业"),
    "E": _("建筑业"),
    "E47": _("房屋建筑业"),
    "F": _("批发和零售业"),
    "F51": _("批发业"),
    "F52": _("零售业"),
    "F5221": _("粮油零售"),
    "F5225": _("肉、禽、蛋、奶及水产品零售"),
    "F5251": _("西药零售"),
    "F5252": _("中药零售"),
    "F5265": _("机动车燃油零售"),
    "G": _("交通运输、仓储和邮政业"),
    "G54": _("道路运输业"),
    "H": _("住宿和餐饮业"),
    "H61": _("住宿业"),
    "H62": _("餐饮业"),
    "H6210": _("正餐服务"),
    "H6220": _("快餐服务"),
    "L": _("租赁和商务服务业"),
    "L72": _("商务服务业"),
    "N": _("水利、环境和公共设施管理业"),
    "N78": _("公共设施管理业"),
    "N7869": _("其他游览景区管理"),
    "O": _("居民服务、修理和其他服务业"),
    "O80": _("居民服务业"),
    "O81": _("机动车、电子产品和日用产品修理业"),
    "P": _("教育"),
    "Q": _("卫生和社会工作"),
    "Q84": _("卫生"),
    "R": _("文化、体育和娱乐业"),
    "R90": _("娱乐业"),
}


def industry_label(code: str) -> str:
    """The most specific label known for a code: H6210 → 正餐服务, H6299 → 餐饮业."""
    code = (code or "").strip().upper()
    for end in range(len(code), 0, -1):
        label = INDUSTRIES.get(code[:end])
        if label:
            return str(label)
    return code


def township_label(code: str) -> str:
    return TOWNSHIPS.get((code or "")[:9], code or "")
