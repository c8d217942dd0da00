import pytest


@pytest.fixture
def on_day(monkeypatch):
    """Pretend today is the given date everywhere that asks django.utils.timezone.localdate()."""
    from django.utils import timezone

    def set_day(day):
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
        return day

    return set_day
