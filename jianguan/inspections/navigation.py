"""Menu entries and home-page sections of random inspections (registered from InspectionsConfig.ready)."""
from __future__ import annotations


def register() -> None:
    pass
