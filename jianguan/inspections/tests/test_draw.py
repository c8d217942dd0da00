"""JG-DRAW-1 and JG-ASSIGN-1 (docs/draw.md): an independent re-implementation, the worked example, statistics, properties.

No database. The first section re-implements both algorithms from docs/draw.md alone, using only hashlib, decimal
and fractions (nothing from jianguan.inspections.draw), and the tests check that draw.py computes the same values
on many random inputs. If one of them has to change, docs/draw.md is the judge.
"""
from __future__ import annotations

import hashlib
import math
import random
import string
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import pytest

from jianguan.inspections import draw

# ======================================================================================================================
# Independent re-implementation, written from docs/draw.md (sections 1–4). Deliberately does not import draw.py.
# ======================================================================================================================

SPEC_CLASSES = "ABCD"


class SpecError(ValueError):
    pass


class SpecNotEnough(ValueError):
    def __init__(self, uscc, available, needed):
        super().__init__(uscc)
        self.uscc, self.available, self.needed = uscc, available, needed


def spec_sm3(data: bytes) -> bytes:
    return hashlib.new("sm3", data).digest()


def spec_seed(seed_hex: str) -> bytes:
    """§2.1: 64 lowercase hex characters → exactly 32 bytes."""
    if len(seed_hex) != 64 or any(ch not in "0123456789abcdef" for ch in seed_hex):
        raise SpecError("seed")
    return bytes(int(seed_hex[i:i + 2], 16) for i in range(0, 64, 2))


def spec_commitment(seed_hex: str) -> str:
    """§2.2."""
    return spec_sm3(spec_seed(seed_hex)).hex()


def spec_lines(cands) -> bytes:
    """§2.3: canonical order = USCC byte order; lines USCC,CLASS,KEY\\n; UTF-8."""
    ordered = sorted(cands, key=lambda t: t[0].encode("utf-8"))
    return b"".join(f"{u},{g},{1 if k else 0}\n".encode("utf-8") for u, g, k in ordered)


def spec_candidates_hash(cands) -> str:
    return spec_sm3(spec_lines(cands)).hex()


def spec_bp(ratio) -> int:
    """§2.4: percentage with at most two decimals, 0–100, to basis points, exactly (no context rounding)."""
    try:
        value = Decimal(str(ratio))
    except InvalidOperation:
        raise SpecError("ratio") from None
    if not value.is_finite():
        raise SpecError("ratio")
    bp = Fraction(value) * 100  # Fraction(Decimal) is exact
    if bp.denominator != 1 or not 0 <= bp <= 10000:
        raise SpecError("ratio")
    return int(bp)


def spec_quota(n: int, bp: int) -> int:
    return min(n, (n * bp + 9999) // 10000)


def spec_score(seed: bytes, uscc: str) -> bytes:
    return spec_sm3(seed + uscc.encode("ascii"))


def spec_draw(cands, seed_hex: str, ratios) -> list[str]:
    """§3: key candidates always; per class, non-key candidates by score ascending (ties: USCC); first quota."""
    seed = spec_seed(seed_hex)
    bps = {g: spec_bp(ratios.get(g, 0)) for g in SPEC_CLASSES}
    selected = [u for u, g, k in cands if k]
    for g in SPEC_CLASSES:
        stratum = [u for u, c, k in cands if c == g and not k]
        stratum.sort(key=lambda u: (spec_score(seed, u), u.encode("ascii")))
        selected += stratum[:spec_quota(len(stratum), bps[g])]
    return sorted(selected, key=lambda u: u.encode("ascii"))


def spec_stratum_counts(cands, ratios):
    out = {}
    for g in SPEC_CLASSES:
        total = sum(1 for _u, c, _k in cands if c == g)
        key = sum(1 for _u, c, k in cands if c == g and k)
        out[g] = {"candidates": total, "key": key, "quota": spec_quota(total - key, spec_bp(ratios.get(g, 0)))}
    return out


def spec_pick(seed: bytes, tag: bytes, uscc: str, j: int, m: int) -> int:
    """§4.1: BE64(SM3(seed ‖ tag ‖ USCC ‖ ":" ‖ dec(j))[0:8]) mod m."""
    digest = spec_sm3(seed + tag + uscc.encode("ascii") + b":" + str(j).encode("ascii"))
    value = 0
    for byte in digest[:8]:
        value = value * 256 + byte
    return value % m


def spec_walk(seed: bytes, tag: bytes, uscc: str, loads: dict, need: int, banned, trace=None) -> list[str]:
    """§4.2 steps 1–3 for one object."""
    chosen: list[str] = []
    j = 0
    for level in sorted(set(loads.values())):
        group = sorted((c for c in loads if loads[c] == level), key=lambda c: c.encode("ascii"))
        while len(chosen) < need and any(c not in banned and c not in chosen for c in group):
            index = spec_pick(seed, tag, uscc, j, len(group))
            x = group[index]
            if trace is not None:
                trace.append((uscc, level, j, index, x))
            j += 1
            if x in banned or x in chosen:
                continue
            chosen.append(x)
        if len(chosen) == need:
            break
    return chosen


def spec_assign(objects, pool, seed_hex, per_object=2, conflicts=None, load=None, trace=None):
    """§4.2: objects in USCC order; loads rise by one after each object; failure when not enough."""
    seed = spec_seed(seed_hex)
    conflicts = conflicts or {}
    loads = {c: (load or {}).get(c, 0) for c in pool}
    out = {}
    for uscc in sorted(objects, key=lambda u: u.encode("ascii")):
        banned = set(conflicts.get(uscc, ()))
        chosen = spec_walk(seed, b"I", uscc, loads, per_object, banned, trace)
        if len(chosen) < per_object:
            raise SpecNotEnough(uscc, sum(1 for c in loads if c not in banned), per_object)
        for c in chosen:
            loads[c] += 1
        out[uscc] = chosen
    return out


def spec_replacement(uscc, pool, seed_hex, attempt, exclude, load=None) -> str:
    """§4.3: one inspector, tag "R" ‖ dec(attempt), j from 0, loads at the time of the re-draw."""
    loads = {c: (load or {}).get(c, 0) for c in pool}
    chosen = spec_walk(spec_seed(seed_hex), b"R" + str(attempt).encode("ascii"), uscc, loads, 1, set(exclude))
    if not chosen:
        raise SpecNotEnough(uscc, 0, 1)
    return chosen[0]


# ======================================================================================================================
# Helpers
# ======================================================================================================================

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
RATIO_CHOICES = [0, 100, "5.25", 5.25, "33.33", "0.01", 50, "12.5", Decimal("7.10"), 99.99, "66.67", 1]


def sm3_hex(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def fake_uscc(rng: random.Random) -> str:
    """18 characters of the USCC alphabet (check characters are irrelevant to the draw)."""
    return "91" + "".join(rng.choice(USCC_CHARS) for _ in range(16))


def random_case(rng: random.Random, size: int):
    usccs: list[str] = []
    while len(usccs) < size:
        u = fake_uscc(rng)
        if u not in usccs:
            usccs.append(u)
    cands = [(u, rng.choice(SPEC_CLASSES), rng.random() < 0.12) for u in usccs]
    rng.shuffle(cands)
    ratios = {g: rng.choice(RATIO_CHOICES) for g in SPEC_CLASSES if rng.random() < 0.9}
    seed = "".join(rng.choice("0123456789abcdef") for _ in range(64))
    return cands, ratios, seed


def to_draw(cands):
    return [draw.Candidate(u, g, k) for u, g, k in cands]


def chi2_upper(df: int, z: float) -> float:
    """Wilson–Hilferty approximation of the chi-square quantile whose standard-normal deviate is z."""
    a = 2 / (9 * df)
    return df * (1 - a + z * math.sqrt(a)) ** 3


Z_999 = 3.090232  # standard-normal 0.999 quantile


def subset_chi2(counts: list[int], trials: int, k: int) -> float:
    """Pearson statistic for `trials` uniform k-subsets of n items, scaled to be ~ chi-square with n-1 df.

    Each count has variance T·p(1-p) (p = k/n) and the counts sum to T·k, so the covariance is
    T·p(1-p)·n/(n-1)·(I - J/n); hence (n-1)/n · Σ(O-E)²/(T·p(1-p)) is asymptotically χ²(n-1). The plain
    Σ(O-E)²/E would have mean n(1-p) instead of n-1, i.e. be conservative.
    """
    n = len(counts)
    p = k / n
    expected = trials * p
    return (n - 1) / n * sum((o - expected) ** 2 for o in counts) / (trials * p * (1 - p))


# ======================================================================================================================
# (a) draw.py agrees with the independent implementation
# ======================================================================================================================

@pytest.mark.parametrize("case", range(40))
def test_draw_matches_spec(case):
    rng = random.Random(f"draw-{case}")
    size = [0, 1, 2, 5, 9, 37, 120, 400][case % 8]
    cands, ratios, seed = random_case(rng, size)
    canon = draw.canonical(to_draw(cands))
    assert [c.uscc for c in canon] == sorted(u for u, _g, _k in cands)
    assert draw.commitment(seed) == spec_commitment(seed)
    assert draw.candidate_lines(canon) == spec_lines(cands)
    assert draw.candidates_hash(canon) == spec_candidates_hash(cands)
    assert draw.draw(canon, seed, ratios) == spec_draw(cands, seed, ratios)
    assert draw.stratum_counts(canon, ratios) == spec_stratum_counts(cands, ratios)


@pytest.mark.parametrize("ratio", [0, 100, "5.25", "0.01", "99.99", "33.33", "50"])
def test_draw_matches_spec_single_ratio(ratio):
    rng = random.Random(f"ratio-{ratio}")
    cands, _ratios, seed = random_case(rng, 150)
    ratios = {g: ratio for g in SPEC_CLASSES}
    assert draw.draw(draw.canonical(to_draw(cands)), seed, ratios) == spec_draw(cands, seed, ratios)


@pytest.mark.parametrize("case", range(40))
def test_assign_and_replacement_match_spec(case):
    rng = random.Random(f"assign-{case}")
    seed = "".join(rng.choice("0123456789abcdef") for _ in range(64))
    objects = [fake_uscc(rng) for _ in range(rng.randint(0, 25))]
    pool = [f"JG{rng.randint(1, 999):03d}" for _ in range(rng.randint(1, 14))]
    pool = sorted(set(pool))
    rng.shuffle(pool)  # unique, in no particular order
    per_object = rng.choice([1, 2, 2, 3])
    conflicts = {u: set(rng.sample(pool, rng.randint(0, min(3, len(pool))))) for u in objects if rng.random() < 0.4}
    load = {c: rng.choice([0, 0, 1, 2, 5]) for c in pool if rng.random() < 0.5} if case % 3 else None
    try:
        expected = spec_assign(objects, pool, seed, per_object, conflicts, load)
    except SpecNotEnough as e:
        with pytest.raises(draw.NotEnoughInspectors) as info:
            draw.assign(objects, pool, seed, per_object=per_object, conflicts=conflicts, load=load)
        assert (info.value.uscc, info.value.available, info.value.needed) == (e.uscc, e.available, e.needed)
    else:
        assert draw.assign(objects, pool, seed, per_object=per_object, conflicts=conflicts, load=load) == expected

    for attempt in (1, 2, 10):
        uscc = fake_uscc(rng)
        exclude = set(rng.sample(pool, rng.randint(0, len(pool))))
        rload = {c: rng.randint(0, 3) for c in pool}
        try:
            want = spec_replacement(uscc, pool, seed, attempt, exclude, rload)
        except SpecNotEnough:
            with pytest.raises(draw.NotEnoughInspectors):
                draw.replacement(uscc, pool, seed, attempt, exclude=exclude, load=rload)
        else:
            assert draw.replacement(uscc, pool, seed, attempt, exclude=exclude, load=rload) == want


def test_assign_matches_spec_on_a_large_task():
    rng = random.Random("large")
    seed = draw.new_seed()
    objects = [fake_uscc(rng) for _ in range(300)]
    pool = [f"JG{i:03d}" for i in range(1, 41)]
    conflicts = {u: set(rng.sample(pool, 2)) for u in objects[::7]}
    load = {c: rng.randint(0, 4) for c in pool}
    assert draw.assign(objects, pool, seed, per_object=2, conflicts=conflicts, load=load) == \
        spec_assign(objects, pool, seed, 2, conflicts, load)


# ======================================================================================================================
# (b) the worked example of docs/draw.md §5, exact values
# ======================================================================================================================

EX_SEED = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
EX_CANDIDATES = [  # deliberately not in USCC order
    ("91140430TK299H1T5G", "D", False),
    ("911404300T7ALGC7XC", "A", False),
    ("91140430BTH762RDXX", "B", True),
    ("911404303MG7G8YQ6U", "B", False),
    ("91140430N9WUAXN23L", "C", False),
    ("91140430AXWMQHJ27H", "C", False),
    ("91140430J7FMFE3F3Y", "B", False),
    ("91140430ENJ8GPPU8P", "A", False),
]
EX_RATIOS = {"A": "5.25", "B": "30", "C": "50", "D": "0"}
EX_LINES = (
    "911404300T7ALGC7XC,A,0\n911404303MG7G8YQ6U,B,0\n91140430AXWMQHJ27H,C,0\n91140430BTH762RDXX,B,1\n"
    "91140430ENJ8GPPU8P,A,0\n91140430J7FMFE3F3Y,B,0\n91140430N9WUAXN23L,C,0\n91140430TK299H1T5G,D,0\n"
)
EX_SCORE_PREFIXES = {
    "911404300T7ALGC7XC": "f6fc27ff0d7003a9",
    "91140430ENJ8GPPU8P": "69a2237b1d82dcef",
    "911404303MG7G8YQ6U": "f65422ff26ef5a70",
    "91140430J7FMFE3F3Y": "c119a27a83bac74f",
    "91140430AXWMQHJ27H": "053bfb7cf1e4c332",
    "91140430N9WUAXN23L": "e964957714812d6f",
    "91140430TK299H1T5G": "85bdad4575398987",
}
EX_SELECTED = ["91140430AXWMQHJ27H", "91140430BTH762RDXX", "91140430ENJ8GPPU8P", "91140430J7FMFE3F3Y"]
EX_POOL = ["JG001", "JG002", "JG003", "JG004", "JG005"]
EX_CONFLICTS = {"91140430AXWMQHJ27H": {"JG002"}}
EX_ASSIGNMENT = {
    "91140430AXWMQHJ27H": ["JG004", "JG005"],
    "91140430BTH762RDXX": ["JG002", "JG001"],
    "91140430ENJ8GPPU8P": ["JG003", "JG004"],
    "91140430J7FMFE3F3Y": ["JG003", "JG002"],
}
EX_TRACE = [  # (object, level, j, first 8 digest bytes, index, inspector) — the table in §5
    ("91140430AXWMQHJ27H", 0, 0, "b36def629cae63ed", 1, "JG002"),
    ("91140430AXWMQHJ27H", 0, 1, "78a4d59309f32393", 3, "JG004"),
    ("91140430AXWMQHJ27H", 0, 2, "a16498c30d60b6ff", 4, "JG005"),
    ("91140430BTH762RDXX", 0, 0, "cdcd3a810e23db0f", 1, "JG002"),
    ("91140430BTH762RDXX", 0, 1, "315da5699445515e", 0, "JG001"),
    ("91140430ENJ8GPPU8P", 0, 0, "5af1e0fb0ddc898d", 0, "JG003"),
    ("91140430ENJ8GPPU8P", 1, 1, "6c51433a46b3ea82", 2, "JG004"),
    ("91140430J7FMFE3F3Y", 1, 0, "17b99398b9df02d6", 2, "JG003"),
    ("91140430J7FMFE3F3Y", 1, 1, "457264ac7e018c86", 2, "JG003"),
    ("91140430J7FMFE3F3Y", 1, 2, "aee682aa90a5ef15", 1, "JG002"),
]


def test_worked_example_draw():
    canon = draw.canonical(to_draw(EX_CANDIDATES))
    assert draw.commitment(EX_SEED) == "fb5d2b8a8122342d10fe490a7bb844b4c9ad963c61191ec072c950ad8983a287"
    assert draw.candidate_lines(canon).decode() == EX_LINES
    assert len(EX_LINES.encode()) == 184
    assert draw.candidates_hash(canon) == "75c2dc271eb4d9f07fb30f0e65415f1ca1c1a12f91b16525604e523c9a7e58b1"
    assert sm3_hex(EX_LINES.encode()) == draw.candidates_hash(canon)
    seed = bytes.fromhex(EX_SEED)
    for uscc, prefix in EX_SCORE_PREFIXES.items():
        assert sm3_hex(seed + uscc.encode())[:16] == prefix
    assert sm3_hex(seed + b"911404300T7ALGC7XC") == "f6fc27ff0d7003a9a8066d31691f485a7772bbef6947ef4b62a35e521bc15ea2"
    assert draw.stratum_counts(canon, EX_RATIOS) == {
        "A": {"candidates": 2, "key": 0, "quota": 1},
        "B": {"candidates": 3, "key": 1, "quota": 1},
        "C": {"candidates": 2, "key": 0, "quota": 1},
        "D": {"candidates": 1, "key": 0, "quota": 0},
    }
    assert draw.draw(canon, EX_SEED, EX_RATIOS) == EX_SELECTED
    assert spec_draw(EX_CANDIDATES, EX_SEED, EX_RATIOS) == EX_SELECTED


def test_worked_example_assignment_and_recusal():
    assert draw.assign(EX_SELECTED, EX_POOL, EX_SEED, per_object=2, conflicts=EX_CONFLICTS) == EX_ASSIGNMENT
    trace = []
    assert spec_assign(EX_SELECTED, EX_POOL, EX_SEED, 2, EX_CONFLICTS, trace=trace) == EX_ASSIGNMENT
    assert [(u, lv, j, i, x) for u, lv, j, _v, i, x in EX_TRACE] == trace
    seed = bytes.fromhex(EX_SEED)
    for uscc, _level, j, value, _i, _x in EX_TRACE:
        assert sm3_hex(seed + b"I" + uscc.encode() + b":" + str(j).encode())[:16] == value
    assert 0xb36def629cae63ed % 5 == 1

    loads = {"JG001": 1, "JG002": 2, "JG003": 2, "JG004": 2, "JG005": 1}
    obj = "91140430BTH762RDXX"
    assert sm3_hex(seed + b"R1" + obj.encode() + b":0")[:16] == "ecfb8e6a618060e5"
    assert draw.replacement(obj, EX_POOL, EX_SEED, 1, exclude={"JG001", "JG002"}, load=loads) == "JG005"


def test_docs_contain_the_worked_example_values():
    """The numbers printed in docs/draw.md are the ones checked above (guards against editing only one side)."""
    import pathlib

    text = (pathlib.Path(__file__).resolve().parents[3] / "docs" / "draw.md").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# 可验证的随机抽取 — draw algorithm JG-DRAW-1 and inspector assignment JG-ASSIGN-1"
    for value in [EX_SEED, draw.commitment(EX_SEED), draw.candidates_hash(draw.canonical(to_draw(EX_CANDIDATES))),
                  EX_LINES, *EX_SCORE_PREFIXES.values(), *(row[3] for row in EX_TRACE), "ecfb8e6a618060e5"]:
        assert value in text


def test_docs_python_reference_snippet_reproduces_draw():
    """§8's snippet, executed as published, agrees with draw.py on the worked example and random inputs."""
    import pathlib
    import re

    text = (pathlib.Path(__file__).resolve().parents[3] / "docs" / "draw.md").read_text(encoding="utf-8")
    ns: dict = {}
    exec(re.search(r"```python\n(.*?)```", text, re.S).group(1), ns)  # noqa: S102 - our own document
    assert ns["commitment"](EX_SEED) == draw.commitment(EX_SEED)
    assert ns["candidates_hash"](EX_CANDIDATES) == draw.candidates_hash(draw.canonical(to_draw(EX_CANDIDATES)))
    assert ns["draw"](EX_CANDIDATES, EX_SEED, EX_RATIOS) == EX_SELECTED
    assert ns["assign"](EX_SELECTED, EX_POOL, EX_SEED, 2, EX_CONFLICTS) == EX_ASSIGNMENT
    for case in range(5):
        cands, ratios, seed = random_case(random.Random(f"snippet-{case}"), 60)
        assert ns["draw"](cands, seed, ratios) == draw.draw(draw.canonical(to_draw(cands)), seed, ratios)


# ======================================================================================================================
# (c) statistics: every candidate of a stratum is equally likely
# ======================================================================================================================

def chi_seed(i: int) -> str:
    return sm3_hex(b"chi" + str(i).encode())


def test_chi_square_uniform_within_a_stratum():
    """60 candidates in class B at 25 % (quota 15), 2000 seeds: selection counts uniform.

    Critical values from the Wilson–Hilferty approximation for 59 degrees of freedom: 0.999 quantile ≈ 98.4 (the
    exact value is ≈ 98.3; 99.6 is the 60-df figure), 0.001 quantile ≈ 31.0 — the lower bound catches a draw that is
    too regular (e.g. round-robin) to be random. Seeds are deterministic, so the test is too.
    """
    rng = random.Random("chi-candidates")
    cands = draw.canonical([draw.Candidate(fake_uscc(rng), "B") for _ in range(60)])
    index = {c.uscc: i for i, c in enumerate(cands)}
    trials, k = 2000, 15
    assert draw.quota(60, 25) == k
    counts = [0] * 60
    for i in range(trials):
        selected = draw.draw(cands, chi_seed(i), {"B": 25})
        assert len(selected) == k
        for uscc in selected:
            counts[index[uscc]] += 1
    assert sum(counts) == trials * k
    statistic = subset_chi2(counts, trials, k)
    upper, lower = chi2_upper(59, Z_999), chi2_upper(59, -Z_999)
    assert 98 < upper < 99 and 30 < lower < 32
    assert lower < statistic < upper, (statistic, counts)


def test_each_class_is_drawn_at_its_own_ratio():
    """Two classes at different ratios, plus key candidates: each class's frequency is its own quota/n."""
    rng = random.Random("two-classes")
    a = [draw.Candidate(fake_uscc(rng), "A") for _ in range(40)]
    c = [draw.Candidate(fake_uscc(rng), "C") for _ in range(30)]
    keys = [draw.Candidate(fake_uscc(rng), g, True) for g in "AC"]
    cands = draw.canonical(a + c + keys)
    ratios = {"A": "10", "C": "45"}  # quotas 4 of 40 (exactly 10 %) and ⌈13.5⌉ = 14 of 30
    trials = 1000
    counts = {x.uscc: 0 for x in cands}
    for i in range(trials):
        for uscc in draw.draw(cands, chi_seed(100_000 + i), ratios):
            counts[uscc] += 1
    for group, n, k, ratio in ((a, 40, 4, Fraction(10, 100)), (c, 30, 14, Fraction(45, 100))):
        freqs = [counts[x.uscc] / trials for x in group]
        assert sum(counts[x.uscc] for x in group) == trials * k  # class mean is quota/n exactly…
        assert abs(Fraction(k, n) - ratio) < Fraction(1, n)  # …which is the ratio rounded up to a whole candidate
        p = k / n
        sigma = math.sqrt(p * (1 - p) / trials)
        assert all(abs(f - p) < 4.5 * sigma for f in freqs), (p, freqs)
        stat = subset_chi2([counts[x.uscc] for x in group], trials, k)
        assert chi2_upper(n - 1, -Z_999) < stat < chi2_upper(n - 1, Z_999)
    assert all(counts[x.uscc] == trials for x in keys)


def test_chi_square_inspector_picks_are_uniform():
    """One object, 7 inspectors at equal load, 2 per object, 1400 seeds: each inspector ≈ 400 times."""
    pool = [f"JG{i:03d}" for i in range(1, 8)]
    counts = dict.fromkeys(pool, 0)
    trials = 1400
    for i in range(trials):
        for code in draw.assign(["911404300T7ALGC7XC"], pool, chi_seed(200_000 + i))["911404300T7ALGC7XC"]:
            counts[code] += 1
    stat = subset_chi2(list(counts.values()), trials, 2)
    assert chi2_upper(6, -Z_999) < stat < chi2_upper(6, Z_999), counts


# ======================================================================================================================
# (d) properties
# ======================================================================================================================

@pytest.mark.parametrize("n, ratio, expected", [
    (1, "0.01", 1), (1, 0.01, 1), (0, 50, 0), (0, 0, 0), (7, 0, 0), (7, 100, 7), (3, "33.33", 1), (3, "33.34", 2),
    (100, "5.25", 6), (400, "5.25", 21), (401, "5.25", 22), (10000, "0.01", 1), (10001, "0.01", 2), (2, "50", 1),
    (3, "50", 2), (60, 25, 15), (30, "45", 14), (1, "100.00", 1), (5, Decimal("20.0"), 1),
])
def test_quota_examples(n, ratio, expected):
    assert draw.quota(n, ratio) == expected


def test_quota_is_exact_ceiling():
    for bp in list(range(0, 10001, 137)) + [1, 9999, 10000, 3333, 525]:
        ratio = f"{bp // 100}.{bp % 100:02d}"
        assert draw.ratio_basis_points(ratio) == bp
        for n in range(0, 250):
            assert draw.quota(n, ratio) == math.ceil(Fraction(n * bp, 10000)) == spec_quota(n, spec_bp(ratio))


@pytest.mark.parametrize("ratio", [-1, "-0.01", 100.01, "100.01", 5.255, "5.255", "abc", "", None, "NaN", "inf",
                                   "-Infinity", 1e-3, "0.001", 101, True])
def test_bad_ratios_are_refused(ratio):
    with pytest.raises(draw.DrawInputError):
        draw.ratio_basis_points(ratio)
    with pytest.raises(draw.DrawInputError):
        draw.draw([draw.Candidate("911404300T7ALGC7XC", "A")], EX_SEED, {"A": ratio})


def test_ratio_of_a_class_without_candidates_is_still_checked():
    with pytest.raises(draw.DrawInputError):
        draw.draw([draw.Candidate("911404300T7ALGC7XC", "A")], EX_SEED, {"A": 10, "D": "5.255"})


@pytest.mark.parametrize("ratio, bp", [(0, 0), (100, 10000), ("5.25", 525), (5.25, 525), (Decimal("5.250"), 525),
                                       ("0.01", 1), ("99.99", 9999), ("12.5", 1250)])
def test_good_ratios(ratio, bp):
    assert draw.ratio_basis_points(ratio) == bp


def test_canonical_sorts_and_refuses_duplicates_and_bad_classes():
    cands = draw.canonical(to_draw(EX_CANDIDATES))
    assert [c.uscc for c in cands] == sorted(u for u, _g, _k in EX_CANDIDATES)
    with pytest.raises(draw.DrawInputError):
        draw.canonical([draw.Candidate("911404300T7ALGC7XC", "A"), draw.Candidate("911404300T7ALGC7XC", "B")])
    with pytest.raises(draw.DrawInputError):  # same USCC twice, even identical
        draw.canonical([draw.Candidate("911404300T7ALGC7XC", "A")] * 2)
    for bad in ("E", "a", "", "AB", "甲"):
        with pytest.raises(draw.DrawInputError):
            draw.canonical([draw.Candidate("911404300T7ALGC7XC", bad)])
    assert draw.canonical([]) == []
    assert draw.candidates_hash([]) == sm3_hex(b"")


def test_candidate_order_does_not_change_the_result():
    rng = random.Random("order")
    cands, ratios, seed = random_case(rng, 80)
    expected = draw.draw(draw.canonical(to_draw(cands)), seed, ratios)
    for _ in range(5):
        rng.shuffle(cands)
        assert draw.draw(draw.canonical(to_draw(cands)), seed, ratios) == expected
        if [c.uscc for c in to_draw(cands)] != sorted(c.uscc for c in to_draw(cands)):
            with pytest.raises(draw.DrawInputError):  # draw() refuses a list that is not canonical
                draw.draw(to_draw(cands), seed, ratios)
        assert draw.candidates_hash(draw.canonical(to_draw(cands))) == spec_candidates_hash(cands)


def test_selection_is_sorted_and_has_the_quota_of_each_class():
    cands, ratios, seed = random_case(random.Random("shape"), 300)
    canon = draw.canonical(to_draw(cands))
    selected = draw.draw(canon, seed, ratios)
    assert selected == sorted(set(selected))
    counts = draw.stratum_counts(canon, ratios)
    assert len(selected) == sum(v["key"] + v["quota"] for v in counts.values())


def test_key_candidates_always_selected_even_at_ratio_zero():
    rng = random.Random("keys")
    for i in range(20):
        cands = [(fake_uscc(rng), rng.choice(SPEC_CLASSES), rng.random() < 0.3) for _ in range(30)]
        seed = sm3_hex(b"keys" + bytes([i]))
        keys = {u for u, _g, k in cands if k}
        for ratios in ({}, {g: 0 for g in SPEC_CLASSES}, {g: 100 for g in SPEC_CLASSES}, {"A": "5.25"}):
            selected = set(draw.draw(draw.canonical(to_draw(cands)), seed, ratios))
            assert keys <= selected
            if not any(ratios.values()):
                assert selected == keys
            if ratios and all(v == 100 for v in ratios.values()):
                assert selected == {u for u, _g, _k in cands}


def test_a_key_candidate_does_not_use_up_the_quota():
    plain = [draw.Candidate(f"9114043000000000{i:02d}", "B") for i in range(10)]
    key = draw.Candidate("911404300000000099", "B", True)
    with_key = draw.draw(draw.canonical(plain + [key]), EX_SEED, {"B": 20})
    without = draw.draw(draw.canonical(plain), EX_SEED, {"B": 20})
    assert len(without) == 2 and with_key == sorted(without + [key.uscc])


def test_the_seed_decides():
    cands = draw.canonical([draw.Candidate(f"9114043000000000{i:02d}", "A") for i in range(50)])
    results = {tuple(draw.draw(cands, sm3_hex(bytes([i])), {"A": 10})) for i in range(30)}
    assert len(results) > 25


def test_assign_respects_conflicts_and_gives_distinct_inspectors():
    rng = random.Random("conflicts")
    pool = [f"JG{i:03d}" for i in range(1, 13)]
    for case in range(30):
        seed = sm3_hex(b"conflicts" + str(case).encode())
        objects = [fake_uscc(rng) for _ in range(rng.randint(1, 30))]
        per_object = rng.choice([1, 2, 3])
        conflicts = {u: set(rng.sample(pool, rng.randint(0, 6))) for u in objects}
        result = draw.assign(objects, pool, seed, per_object=per_object, conflicts=conflicts)
        assert set(result) == set(objects)
        for uscc, codes in result.items():
            assert len(codes) == per_object == len(set(codes))
            assert not set(codes) & conflicts[uscc]
            assert set(codes) <= set(pool)


def test_assign_keeps_loads_balanced():
    for case in range(30):
        rng = random.Random(f"balance-{case}")
        pool = [f"JG{i:03d}" for i in range(1, rng.randint(3, 15))]
        per_object = rng.randint(1, min(3, len(pool)))
        objects = [fake_uscc(rng) for _ in range(rng.randint(1, 40))]
        seed = sm3_hex(f"balance-{case}".encode())
        start = rng.choice([0, 3])
        result = draw.assign(objects, pool, seed, per_object=per_object, load=dict.fromkeys(pool, start))
        loads = dict.fromkeys(pool, 0)
        for codes in result.values():
            for code in codes:
                loads[code] += 1
        assert max(loads.values()) - min(loads.values()) <= 1, loads
        assert sum(loads.values()) == per_object * len(objects)


def test_assign_prefers_the_least_loaded():
    pool = ["JG001", "JG002", "JG003", "JG004"]
    result = draw.assign(["911404300T7ALGC7XC"], pool, EX_SEED, per_object=2, load={"JG001": 3, "JG002": 3})
    assert sorted(result["911404300T7ALGC7XC"]) == ["JG003", "JG004"]


def test_not_enough_inspectors():
    pool = ["JG001", "JG002", "JG003"]
    uscc = "911404300T7ALGC7XC"
    with pytest.raises(draw.NotEnoughInspectors) as info:
        draw.assign([uscc], pool, EX_SEED, per_object=2, conflicts={uscc: {"JG001", "JG003"}})
    assert (info.value.uscc, info.value.available, info.value.needed) == (uscc, 1, 2)
    with pytest.raises(draw.NotEnoughInspectors):
        draw.assign([uscc], pool, EX_SEED, per_object=4)
    with pytest.raises(draw.NotEnoughInspectors):
        draw.assign([uscc], [], EX_SEED, per_object=1)
    # exactly enough works, whatever the loads
    assert sorted(draw.assign([uscc], pool, EX_SEED, per_object=2, conflicts={uscc: {"JG002"}},
                              load={"JG001": 9})[uscc]) == ["JG001", "JG003"]
    with pytest.raises(draw.NotEnoughInspectors):
        draw.replacement(uscc, pool, EX_SEED, 1, exclude=set(pool))


def test_replacement_never_returns_an_excluded_inspector():
    rng = random.Random("replacement")
    pool = [f"JG{i:03d}" for i in range(1, 9)]
    for attempt in range(1, 40):
        exclude = set(rng.sample(pool, rng.randint(0, 7)))
        load = {c: rng.randint(0, 2) for c in pool}
        code = draw.replacement(fake_uscc(rng), pool, EX_SEED, attempt, exclude=exclude, load=load)
        assert code in pool and code not in exclude
        assert load[code] == min(load[c] for c in pool if c not in exclude)
    uscc = "911404300T7ALGC7XC"
    picks = {draw.replacement(uscc, pool, EX_SEED, attempt, exclude=set()) for attempt in range(1, 30)}
    assert len(picks) > 3  # the attempt number changes the draw


def test_commitment_hides_and_binds_the_seed():
    seeds = [sm3_hex(b"commit" + bytes([i])) for i in range(50)]
    commitments = [draw.commitment(s) for s in seeds]
    assert len(set(commitments)) == len(seeds)
    for s, c in zip(seeds, commitments):
        assert c != s and len(c) == 64 and c == c.lower()
        assert c == sm3_hex(bytes.fromhex(s))
    published = draw.commitment(EX_SEED)
    wrong = EX_SEED[:-1] + ("0" if EX_SEED[-1] != "0" else "1")
    assert draw.commitment(wrong) != published
    assert draw.commitment(EX_SEED) == published
    # the commitment is over the 32 bytes, not the hex text
    assert published != sm3_hex(EX_SEED.encode())


def test_new_seed_is_32_random_bytes():
    seeds = {draw.new_seed() for _ in range(20)}
    assert len(seeds) == 20
    for s in seeds:
        assert len(s) == 64 and set(s) <= set(string.hexdigits.lower())
        assert len(draw.seed_bytes(s)) == 32


@pytest.mark.parametrize("seed", ["", "00" * 31, "00" * 33, "zz" * 32, "0x" + "00" * 31, b"\x00" * 32, None, 12])
def test_bad_seeds_are_refused(seed):
    with pytest.raises(draw.DrawInputError):
        draw.commitment(seed)
    with pytest.raises(draw.DrawInputError):
        draw.draw([], seed, {})


# ----------------------------------------------------------------------------------------------------------------------
# Inputs the algorithm refuses rather than silently reinterpreting.
# ----------------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [" " * 64, "  " + "00" * 31, "00" * 30 + "    "])
def test_seed_must_decode_to_exactly_32_bytes(seed):
    assert len(seed) == 64
    with pytest.raises(draw.DrawInputError):
        draw.seed_bytes(seed)


def test_ratio_with_a_far_third_decimal_is_refused():
    with pytest.raises(draw.DrawInputError):
        draw.ratio_basis_points("5.2500000000000000000000000001")


def test_unknown_ratio_class_duplicate_objects_and_attempt_zero_are_refused():
    seed = "00" * 32
    with pytest.raises(draw.DrawInputError):
        draw.draw([], seed, {"b": 30})
    with pytest.raises(draw.DrawInputError):
        draw.assign(["X1", "X1"], ["C1", "C2", "C3"], seed)
    with pytest.raises(draw.DrawInputError):
        draw.replacement("X1", ["C1", "C2"], seed, 0, exclude=set())
    with pytest.raises(draw.DrawInputError):
        draw.draw([draw.Candidate("X1", "E")], seed, {"A": 10})


@pytest.mark.parametrize("ratio", ["１０", "1_0", " 5 ", "1e1", "5.", ".5"])
def test_loosely_written_ratios_are_refused(ratio):
    with pytest.raises(draw.DrawInputError):
        draw.ratio_basis_points(ratio)


def test_one_pass_draw_from_the_published_bytes_equals_the_reference():
    rng = random.Random("lines")
    for size in (0, 1, 57, 400):
        cands, ratios, seed = random_case(rng, size)
        canon = draw.canonical(to_draw(cands))
        data = draw.candidate_lines(canon)
        assert draw.parse_lines(data) == canon
        picked = draw.draw_lines(data, seed, ratios)
        assert [c.uscc for c in picked] == draw.draw(canon, seed, ratios)
        by_uscc = {c.uscc: c for c in canon}
        assert all(by_uscc[c.uscc] == c for c in picked)


@pytest.mark.parametrize("data", [b"91140430MA0000000X,B,0", b"91140430MA0000000X,E,0\n", b"91140430MA0000000X,B,2\n",
                                  b"91140430MA0000000Y,B,0\n91140430MA0000000X,B,0\n", b"short,B,0\n"])
def test_malformed_candidate_files_are_refused(data):
    with pytest.raises(draw.DrawInputError):
        draw.draw_lines(data, "00" * 32, {"B": 50})
