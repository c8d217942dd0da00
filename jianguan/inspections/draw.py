"""The verifiable random draw (可验证的随机抽取), algorithm JG-DRAW-1, and the inspector assignment JG-ASSIGN-1.

Pure functions over plain values: no Django, no database. docs/draw.md specifies both precisely enough that
anyone can recompute a published draw in another language; `jianguan draw verify TASK_ID` and the test suite's
independent re-implementation check this code against that text. Change nothing here without changing the
algorithm name and the document.

Summary (docs/draw.md is normative):
- seed: 32 random bytes, published first only as its commitment SM3(seed), revealed after the draw;
- candidates: (USCC, class, key) sorted by USCC; their list hash is SM3 of lines "USCC,CLASS,KEY\\n";
- every key (重点监管) candidate is selected; in each class stratum the non-key candidates are ordered by
  SM3(seed ‖ USCC) (bytes, then USCC) and the first ceil(n × ratio / 100) are selected;
- inspectors: objects in USCC order each get `per_object` eligible, non-conflicted inspectors picked by
  SM3(seed ‖ "I" ‖ USCC ‖ ":" ‖ j) among those with the least load; a recusal re-draws one with tag
  "R" ‖ attempt.
"""
from __future__ import annotations

import hashlib
import heapq
import re
import secrets
from decimal import Decimal
from typing import Iterable, Mapping, NamedTuple, Sequence

ALGORITHM = "JG-DRAW-1"
ASSIGN_ALGORITHM = "JG-ASSIGN-1"
GRADES = ("A", "B", "C", "D")


class DrawInputError(ValueError):
    """An input the algorithm does not accept (bad seed, ratio, class or duplicate USCC)."""


class NotEnoughInspectors(ValueError):
    def __init__(self, uscc: str, available: int, needed: int):
        super().__init__(f"{uscc}: {available} eligible inspectors, {needed} needed")
        self.uscc, self.available, self.needed = uscc, available, needed


class Candidate(NamedTuple):
    """One candidate: (USCC, class A–D, key). A tuple, so a million of them are cheap to build and compare."""

    uscc: str
    grade: str
    key: bool = False


def _sm3(data: bytes):
    return hashlib.new("sm3", data)


def new_seed() -> str:
    """32 bytes from the operating system's CSPRNG, as 64 lowercase hex characters."""
    return secrets.token_hex(32)


SEED_RE = re.compile(r"[0-9a-f]{64}")
LINE_RE = re.compile(rb"^([0-9A-Z]{18}),([ABCD]),([01])\n", re.M)
RATIO_RE = re.compile(r"[0-9]{1,3}(\.[0-9]{1,2})?")


def seed_bytes(seed_hex: str) -> bytes:
    """The 32 seed bytes; the text must be exactly 64 lowercase hex digits (nothing skipped, nothing shorter)."""
    if not isinstance(seed_hex, str) or not SEED_RE.fullmatch(seed_hex):
        raise DrawInputError("seed must be 64 lowercase hex characters")
    return bytes.fromhex(seed_hex)


def commitment(seed_hex: str) -> str:
    """What is published before the draw: SM3 of the 32 seed bytes, lowercase hex."""
    return _sm3(seed_bytes(seed_hex)).hexdigest()


def ratio_basis_points(ratio) -> int:
    """A percentage with at most two decimals (0–100) as an integer number of basis points (5.25% → 525)."""
    if isinstance(ratio, bool):
        raise DrawInputError(f"ratio {ratio!r} is not a number")
    if isinstance(ratio, (int, Decimal)):
        text = format(Decimal(ratio), "f")
        if "." in text:
            whole, frac = text.split(".")
            frac = frac.rstrip("0")
            text = whole + ("." + frac if frac else "")
    else:
        text = str(ratio)
    if text.startswith("-") and RATIO_RE.fullmatch(text[1:]):
        raise DrawInputError(f"ratio {ratio} is outside 0–100")
    if not RATIO_RE.fullmatch(text):
        if re.fullmatch(r"[0-9]+\.[0-9]{3,}", text):
            raise DrawInputError(f"ratio {ratio} has more than two decimals")
        if re.fullmatch(r"[0-9]{4,}(\.[0-9]+)?", text):
            raise DrawInputError(f"ratio {ratio} is outside 0–100")
        raise DrawInputError(f"ratio {ratio!r} is not a plain decimal percentage")
    value = Decimal(text)
    if value > 100:
        raise DrawInputError(f"ratio {ratio} is outside 0–100")
    return int(value * 100)


def quota(n: int, ratio) -> int:
    """How many of n candidates a ratio selects: ceil(n × ratio / 100), computed exactly in integers."""
    return min(n, (n * ratio_basis_points(ratio) + 9999) // 10000)


def canonical(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Candidates sorted by USCC; a class outside A–D or a repeated USCC is refused."""
    out = sorted(candidates, key=lambda c: c.uscc)
    previous = None
    for c in out:
        if c.grade not in GRADES:
            raise DrawInputError(f"{c.uscc}: class {c.grade!r} is not one of A, B, C, D")
        if c.uscc == previous:
            raise DrawInputError(f"{c.uscc} appears twice in the candidate list")
        previous = c.uscc
    return out


def candidate_lines(candidates: Iterable[tuple[str, str, bool]]) -> bytes:
    """The published candidate list: one line "USCC,CLASS,KEY\\n" per candidate in USCC order, UTF-8."""
    return "".join([f"{uscc},{grade},{1 if key else 0}\n" for uscc, grade, key in candidates]).encode()


def parse_lines(data: bytes) -> list[Candidate]:
    """The candidate list back from its published bytes (the inverse of `candidate_lines`), checked line by line:
    each line is exactly "USCC,CLASS,KEY" with an 18-character USCC, a class A–D and KEY 0 or 1."""
    out = []
    append = out.append
    text = data.decode("ascii")
    if text and not text.endswith("\n"):
        raise DrawInputError("the candidate list must end with a line break")
    for n, line in enumerate(text.split("\n")[:-1] if text else [], 1):
        if len(line) != 22 or line[18] != "," or line[20] != "," or line[19] not in "ABCD" or line[21] not in "01":
            raise DrawInputError(f"line {n} is not USCC,CLASS,KEY: {line[:40]!r}")
        append(Candidate(line[:18], line[19], line[21] == "1"))
    return out


def candidates_hash(candidates: Sequence[Candidate]) -> str:
    """SM3 of the candidate lines (pass them already in canonical order)."""
    return _sm3(candidate_lines(candidates)).hexdigest()


def draw(candidates: Sequence[Candidate], seed_hex: str, ratios: Mapping[str, object]) -> list[str]:
    """The USCCs selected, sorted. `candidates` must be canonical (see `canonical`)."""
    base = _sm3(seed_bytes(seed_hex))
    unknown = set(ratios) - set(GRADES)
    if unknown:
        raise DrawInputError(f"ratio for unknown class {sorted(unknown)}")
    bps = {g: ratio_basis_points(ratios.get(g, 0)) for g in GRADES}
    previous = None
    for c in candidates:
        if c.grade not in GRADES or (previous is not None and c.uscc <= previous):
            raise DrawInputError("candidates must be canonical: classes A–D, USCCs strictly ascending")
        previous = c.uscc
    strata: dict[str, list[tuple[bytes, str]]] = {g: [] for g in GRADES}
    selected: list[str] = []
    for c in candidates:
        if c.key:
            selected.append(c.uscc)
            continue
        if not bps[c.grade]:
            continue
        h = base.copy()
        h.update(c.uscc.encode())
        strata[c.grade].append((h.digest(), c.uscc))
    for g in GRADES:
        rows = strata[g]
        n = len(rows)
        k = min(n, (n * bps[g] + 9999) // 10000)
        if k == 0:
            continue
        chosen = rows if k == n else heapq.nsmallest(k, rows)
        selected.extend(uscc for _digest, uscc in chosen)
    selected.sort()
    return selected


def draw_lines(data: bytes, seed_hex: str, ratios: Mapping[str, object]) -> list[Candidate]:
    """JG-DRAW-1 straight from the published candidate bytes, in one pass and without building a candidate per line:
    the selected candidates, sorted by USCC. Gives exactly `draw(parse_lines(data), seed, ratios)` (the test suite
    checks this); it exists because a province-size list has millions of lines."""
    base = _sm3(seed_bytes(seed_hex))
    unknown = set(ratios) - set(GRADES)
    if unknown:
        raise DrawInputError(f"ratio for unknown class {sorted(unknown)}")
    bps = {g.encode(): ratio_basis_points(ratios.get(g, 0)) for g in GRADES}
    strata: dict[bytes, list[bytes]] = {g.encode(): [] for g in GRADES}
    selected: list[Candidate] = []
    lines = LINE_RE.findall(data)  # every well-formed line, extracted in C
    if len(lines) * 23 != len(data):  # some line is malformed, or the file does not end with a line break
        parse_lines(data)  # raises, naming the first bad line
        raise DrawInputError("malformed candidate list")
    previous = b""
    for raw, grade, key in lines:
        if raw <= previous:
            raise DrawInputError(f"{raw.decode()}: USCCs must be strictly ascending")
        previous = raw
        if key == b"1":
            selected.append(Candidate(raw.decode(), grade.decode(), True))
        elif bps[grade]:
            h = base.copy()
            h.update(raw)
            strata[grade].append(h.digest() + raw)  # 32-byte score, then the USCC: sorts as (score, USCC)
    for g in GRADES:
        rows = strata[g.encode()]
        n = len(rows)
        k = min(n, (n * bps[g.encode()] + 9999) // 10000)
        if k:
            chosen = rows if k == n else heapq.nsmallest(k, rows)
            selected.extend(Candidate(x[32:].decode(), g, False) for x in chosen)
    selected.sort()
    return selected


def stratum_counts(candidates: Sequence[Candidate], ratios: Mapping[str, object]) -> dict[str, dict[str, int]]:
    """Per class: candidates, key candidates and the quota drawn among the others (for the public page)."""
    out = {g: {"candidates": 0, "key": 0, "quota": 0} for g in GRADES}
    for c in candidates:
        out[c.grade]["candidates"] += 1
        if c.key:
            out[c.grade]["key"] += 1
    for g in GRADES:
        out[g]["quota"] = quota(out[g]["candidates"] - out[g]["key"], ratios.get(g, 0))
    return out


# --- inspectors -------------------------------------------------------------------------------------------------------


def _pick(base, tag: bytes, uscc: str, j: int, size: int) -> int:
    """Index j-th pick: the first 8 bytes of SM3(seed ‖ tag ‖ USCC ‖ ":" ‖ j) as a big-endian integer, mod size."""
    h = base.copy()
    h.update(tag + uscc.encode() + b":" + str(j).encode())
    return int.from_bytes(h.digest()[:8], "big") % size


def _choose(base, tag: bytes, uscc: str, levels: dict[int, list[str]], need: int, banned: set[str]) -> list[str]:
    """Walk the load levels upwards; in each, pick members of the sorted list by _pick, skipping banned or taken ones."""
    chosen: list[str] = []
    j = 0
    for level in sorted(levels):
        members = levels[level]
        eligible = len(members) - sum(1 for c in banned if c in members)
        while len(chosen) < need and eligible > sum(1 for c in chosen if c in members):
            code = members[_pick(base, tag, uscc, j, len(members))]
            j += 1
            if code in banned or code in chosen:
                continue
            chosen.append(code)
        if len(chosen) == need:
            break
    return chosen


def assign(objects: Sequence[str], pool: Sequence[str], seed_hex: str, *, per_object: int = 2,
           conflicts: Mapping[str, set[str]] | None = None, load: Mapping[str, int] | None = None) -> dict[str, list[str]]:
    """Inspector codes for each object (USCC): JG-ASSIGN-1 (docs/draw.md, "Inspector assignment").

    Objects are taken in USCC order. Inspectors are grouped by current load (`load` gives the starting load,
    e.g. open assignments elsewhere; default 0); each group is a list sorted by code. For an object, starting at
    the lowest load, pick number j = 0, 1, 2, … takes the member at index int(SM3(seed ‖ "I" ‖ USCC ‖ ":" ‖ j)[0:8])
    mod group size, skipping declared conflicts and inspectors already chosen for the object; when a group has no
    eligible member left the walk continues with the next load level (j keeps counting). The chosen inspectors'
    load rises by one. Raises NotEnoughInspectors when fewer than `per_object` are eligible.
    """
    from bisect import insort

    base = _sm3(seed_bytes(seed_hex))
    conflicts = conflicts or {}
    current = {c: int((load or {}).get(c, 0)) for c in set(pool)}
    levels: dict[int, list[str]] = {}
    for c in sorted(current):
        levels.setdefault(current[c], []).append(c)
    if len(set(objects)) != len(objects):
        raise DrawInputError("an object appears twice")
    out: dict[str, list[str]] = {}
    for uscc in sorted(objects):
        chosen = _choose(base, b"I", uscc, levels, per_object, conflicts.get(uscc, set()))
        if len(chosen) < per_object:
            raise NotEnoughInspectors(uscc, len(chosen), per_object)
        for c in chosen:
            level = current[c]
            levels[level].remove(c)
            if not levels[level]:
                del levels[level]
            current[c] = level + 1
            insort(levels.setdefault(level + 1, []), c)
        out[uscc] = chosen
    return out


def replacement(uscc: str, pool: Sequence[str], seed_hex: str, attempt: int, *, exclude: set[str],
                load: Mapping[str, int] | None = None) -> str:
    """The inspector who replaces a recused one: re-draw number `attempt` (1, 2, …) picks as `assign` does for one
    inspector, with tag "R" ‖ attempt instead of "I", among `pool` minus `exclude` (the object's other inspectors,
    the recused one and declared conflicts), grouped by `load`."""
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        raise DrawInputError("attempt counts from 1")
    base = _sm3(seed_bytes(seed_hex))
    levels: dict[int, list[str]] = {}
    for c in sorted(set(pool)):
        levels.setdefault(int((load or {}).get(c, 0)), []).append(c)
    chosen = _choose(base, b"R" + str(int(attempt)).encode(), uscc, levels, 1, set(exclude))
    if not chosen:
        raise NotEnoughInspectors(uscc, 0, 1)
    return chosen[0]
