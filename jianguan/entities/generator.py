"""Synthetic market entities that look like a Shanxi county's: deterministic from a seed, streamed in batches.

Used by the demo (≈20,000 沁县 entities) and by `jianguan gen_entities` for province-sized benchmark data.
USCCs pass both GB 32100 and GB 11714 checks; names, people and addresses are invented.
"""
from __future__ import annotations

import datetime as dt
import decimal
import random
from collections.abc import Iterator

from jianguan.core.identifiers import generate_uscc

from .reference import TOWNSHIPS

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文红玉兰凤梅海波志斌慧晓宇飞鹏辉俊峰亮红云春林"
TRADE_1 = "鑫恒华金宏瑞沁丰永润嘉康福兴聚盛天隆百万惠安佳明昌泰祥和顺新立众诚信德源达利通晋太铜漳岳"
TRADE_2 = "源达泰盛昌隆祥丰瑞鑫宇辉华通利兴旺发顺和安康泽润宏远茂晟鼎诚信达"
FORMS = ["有限公司", "有限责任公司", "股份有限公司"]

# (weight, kind, industry code, business words for names, scope)
PROFILES = [
    (14, "individual", "F5221", ["小卖部", "便利店", "百货商店", "副食店"], "预包装食品、散装食品销售，日用百货零售"),
    (10, "individual", "H6210", ["饭店", "面馆", "小吃店", "家常菜馆", "饺子馆"], "餐饮服务：热食类食品制售"),
    (5, "individual", "F5225", ["鲜肉店", "水产店", "蔬菜水果店"], "食用农产品零售"),
    (4, "individual", "O80", ["理发店", "洗衣店", "照相馆"], "理发、洗染、摄影服务"),
    (3, "individual", "O81", ["汽车修理部", "家电维修部"], "机动车维修、日用产品修理"),
    (3, "individual", "F5251", ["药店", "大药房"], "处方药、非处方药零售"),
    (3, "individual", "H61", ["旅馆", "家庭宾馆"], "住宿服务"),
    (6, "enterprise", "C14", ["食品", "小米加工", "粮油食品", "食品科技"], "食品生产、预包装食品销售"),
    (4, "enterprise", "C13", ["农副产品加工", "杂粮加工"], "粮食收购、农副产品加工"),
    (2, "enterprise", "C15", ["酒业", "饮品"], "酒类、饮料生产销售"),
    (4, "enterprise", "H62", ["餐饮管理", "酒店管理"], "餐饮服务、酒店管理"),
    (2, "enterprise", "F5251", ["医药连锁", "医药"], "药品零售、医疗器械经营"),
    (1, "enterprise", "C27", ["制药", "中药饮片"], "中药饮片生产"),
    (3, "enterprise", "B06", ["煤业", "煤炭运销", "能源"], "煤炭开采、洗选及销售"),
    (2, "enterprise", "D45", ["燃气", "天然气"], "城镇燃气供应，特种设备（压力管道）使用"),
    (2, "enterprise", "E47", ["建筑工程", "建设工程"], "房屋建筑工程施工，特种设备（起重机械）使用"),
    (3, "enterprise", "F51", ["商贸", "农资", "物资"], "农资、建材、日用品批发"),
    (2, "enterprise", "G54", ["运输", "物流"], "道路普通货物运输"),
    (2, "enterprise", "N7869", ["旅游开发", "文化旅游"], "旅游景区管理、游览服务"),
    (1, "enterprise", "F5265", ["加油站", "石油销售"], "成品油零售，特种设备（压力容器）使用"),
    (4, "cooperative", "A01", ["小米种植", "中药材种植", "核桃种植", "蔬菜种植"], "组织成员种植、收购、销售农产品"),
    (2, "cooperative", "A03", ["养殖", "生猪养殖", "肉牛养殖"], "畜禽养殖及销售"),
    (1, "social_org", "P", ["培训学校", "职业技能培训中心"], "非学历文化教育培训"),
]
_WEIGHTS = [p[0] for p in PROFILES]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def trade_name(rng: random.Random) -> str:
    return rng.choice(TRADE_1) + rng.choice(TRADE_2)


def entity_rows(count: int, *, seed: str = "qinxian", area: str = "140430", townships: dict[str, str] | None = None,
                county: str = "沁县", start: int = 0, batch: int = 10000) -> Iterator[list[dict]]:
    """Batches of entity rows (dicts for entities.services.entities_bulk_insert)."""
    townships = townships or TOWNSHIPS
    codes = list(townships)
    out: list[dict] = []
    for i in range(start, start + count):
        rng = random.Random(f"{seed}:{i}")
        _, kind, industry, words, scope = rng.choices(PROFILES, weights=_WEIGHTS)[0]
        code = rng.choice(codes)
        town = townships[code]
        rep = person_name(rng)
        word = rng.choice(words)
        if kind == "individual":
            name = f"{county}{town}{rep[0]}记{word}" if rng.random() < 0.5 else f"{county}{town}{trade_name(rng)}{word}"
            reg_kind, capital = "2", None
        elif kind == "cooperative":
            name = f"{county}{town}{trade_name(rng)}{word}专业合作社"
            reg_kind, capital = "3", decimal.Decimal(rng.randrange(10, 200) * 10000)
        elif kind == "social_org":
            name = f"{county}{trade_name(rng)}{word}"
            reg_kind, capital = "1", None
        else:
            name = f"{county}{trade_name(rng)}{word}{rng.choice(FORMS)}"
            reg_kind, capital = "1", decimal.Decimal(rng.randrange(10, 5000) * 10000)
        authority = "5" if kind == "social_org" else "9"
        established = dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 30))
        out.append({
            "uscc": generate_uscc(rng, area=area, authority=authority, kind=reg_kind),
            "name": name,
            "kind": kind,
            "legal_representative": rep,
            "registered_capital": capital,
            "established_on": established,
            "registered_address": f"山西省长治市{county}{town}{rng.randrange(1, 300)}号",
            "business_address": f"山西省长治市{county}{town}{rng.randrange(1, 300)}号",
            "division_code": code,
            "industry_code": industry,
            "business_scope": scope,
            "status": rng.choices(["existing", "operating", "revoked", "cancelled", "moved_out"], weights=[70, 20, 3, 6, 1])[0],
            "registration_authority": f"{county}市场监督管理局" if authority == "9" else f"{county}民政局",
        })
        if len(out) >= batch:
            yield out
            out = []
    if out:
        yield out
