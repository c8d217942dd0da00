import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from jianguan.core import audit, services
from jianguan.core.models import AuditEvent, AuditHead


def _make_events(personas, n=3):
    for i in range(n):
        services.parameter_set(actor=personas.owner, key="security.lockout_minutes", value=30 + i,
                               effective_from=dt.date(2030, 1, 1) + dt.timedelta(days=i), reason=f"第{i}次调整")


def test_every_service_write_appends_a_linked_event(personas):
    before = AuditEvent.objects.count()
    _make_events(personas)
    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) == before + 3
    for prev, cur in zip(events, events[1:]):
        assert cur.seq == prev.seq + 1 and cur.prev_hash == prev.hash
    last = events[-1]
    assert last.actor_label.startswith("平台管理员") and last.action == "parameter.set"
    assert last.after["value"] == 32 and last.request_id
    assert audit.verify().ok


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused(personas):
    with pytest.raises(RuntimeError):
        audit.record(actor=personas.owner, action="x", object_type="t", object_id=1, object_repr="t")


def test_a_rolled_back_service_leaves_no_event(personas):
    count = AuditEvent.objects.count()
    with pytest.raises(ZeroDivisionError):
        with transaction.atomic():
            services.holiday_set(actor=personas.owner, date=dt.date(2031, 1, 1), kind="holiday", name="元旦")
            1 / 0
    assert AuditEvent.objects.count() == count
    assert audit.verify().ok


def _raw(sql, params=()):
    with connection.cursor() as cur:
        cur.execute(sql, params)


def test_verify_names_an_edited_event(personas):
    _make_events(personas, 4)
    victim = AuditEvent.objects.order_by("seq")[2]
    _raw("UPDATE core_auditevent SET note = %s WHERE id = %s", ["篡改", victim.pk])
    result = audit.verify()
    assert not result.ok and result.bad_seq == victim.seq and "改动" in result.reason


def test_verify_detects_a_deleted_event(personas):
    _make_events(personas, 4)
    victim = AuditEvent.objects.order_by("seq")[1]
    _raw("DELETE FROM core_auditevent WHERE id = %s", [victim.pk])
    result = audit.verify()
    assert not result.ok and result.bad_seq == victim.seq


def test_verify_detects_a_deleted_last_event(personas):
    _make_events(personas, 3)
    last = AuditEvent.objects.order_by("-seq").first()
    _raw("DELETE FROM core_auditevent WHERE id = %s", [last.pk])
    result = audit.verify()
    assert not result.ok and "末尾" in result.reason


def test_verify_detects_an_event_forged_without_the_key(personas, settings):
    _make_events(personas, 2)
    # An insider recomputes a hash with the wrong key and appends an event behind the platform's back.
    real_key = settings.JIANGUAN_AUDIT_KEY
    settings.JIANGUAN_AUDIT_KEY = "guessed"
    with transaction.atomic():
        audit.record(actor=personas.owner, action="forged", object_type="x", object_id=1, object_repr="伪造")
    settings.JIANGUAN_AUDIT_KEY = real_key
    result = audit.verify()
    assert not result.ok and result.bad_seq == AuditEvent.objects.get(action="forged").seq


def test_audit_verify_command_exit_status(personas):
    _make_events(personas, 2)
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "审计链完整" in out.getvalue()
    victim = AuditEvent.objects.order_by("seq").last()
    _raw("UPDATE core_auditevent SET actor_label = %s WHERE id = %s", ["别人", victim.pk])
    with pytest.raises(CommandError) as err:
        call_command("audit", "verify")
    assert f"第 {victim.seq} 号事件" in str(err.value)


def test_personal_information_never_enters_the_chain_in_clear(personas):
    events = AuditEvent.objects.filter(action="account.create", object_id=str(personas.a_inspector.pk))
    after = events.get().after
    assert after["id_number"] == "140430********1230"
    assert after["phone"] == "139****5678"
    assert "password" not in after


def test_head_tracks_the_last_event(personas):
    _make_events(personas, 2)
    head = AuditHead.objects.get()
    last = AuditEvent.objects.order_by("-seq").first()
    assert (head.seq, head.hash) == (last.seq, last.hash)
