"""Entity test data: valid USCCs, deterministic."""
import random

from jianguan.core.identifiers import generate_uscc

_rng = random.Random(20261126)


def uscc(kind: str = "1") -> str:
    return generate_uscc(_rng, area="140430", authority="9", kind=kind)


def make_entity(name: str, **fields):
    from jianguan.entities.services import entity_create

    fields.setdefault("division_code", "140430100")
    return entity_create(actor=None, uscc=fields.pop("uscc", None) or uscc(), name=name, **fields)
