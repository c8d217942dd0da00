import datetime as dt

import pytest

from jianguan.core import params, services
from jianguan.core.errors import DomainError, PermissionDeniedError
from jianguan.core.models import AuditEvent, Parameter


def test_default_applies_until_a_version_takes_effect(personas):
    assert params.get("deadline.penalty_publicity", at=dt.date(2026, 1, 1)) == 20
    services.parameter_set(actor=personas.owner, key="deadline.penalty_publicity", value="15",
                           effective_from=dt.date(2027, 1, 1), reason="省级规定调整（示例）")
    assert params.get("deadline.penalty_publicity", at=dt.date(2026, 12, 31)) == 20
    assert params.get("deadline.penalty_publicity", at=dt.date(2027, 1, 1)) == 15
    assert AuditEvent.objects.filter(action="parameter.set").count() == 1


def test_a_version_cannot_predate_the_previous_one(personas):
    services.parameter_set(actor=personas.owner, key="security.lockout_threshold", value=6,
                           effective_from=dt.date(2027, 3, 1), reason="等保测评整改")
    with pytest.raises(DomainError) as err:
        services.parameter_set(actor=personas.owner, key="security.lockout_threshold", value=4,
                               effective_from=dt.date(2027, 2, 1), reason="x")
    assert err.value.field == "effective_from"
    assert Parameter.objects.count() == 1


@pytest.mark.parametrize("value, field_message", [("abc", "不是有效的整数"), ("1", "不得小于"), ("99", "不得大于")])
def test_bad_values_are_refused_with_the_rule(personas, value, field_message):
    with pytest.raises(DomainError) as err:
        services.parameter_set(actor=personas.owner, key="security.lockout_threshold", value=value,
                               effective_from=dt.date(2027, 1, 1), reason="x")
    assert field_message in err.value.message and err.value.field == "value"
    assert not Parameter.objects.exists()


def test_only_the_owner_sets_parameters(personas):
    with pytest.raises(PermissionDeniedError):
        services.parameter_set(actor=personas.a_leader, key="security.lockout_threshold", value=6,
                               effective_from=dt.date(2027, 1, 1), reason="x")
    assert not Parameter.objects.exists()


def test_unknown_parameter_is_named(personas):
    with pytest.raises(DomainError) as err:
        services.parameter_set(actor=personas.owner, key="no.such", value=1, effective_from=dt.date(2027, 1, 1), reason="x")
    assert "no.such" in err.value.message
