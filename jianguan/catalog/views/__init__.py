"""Thin HTML views of the catalogue, split by subject; urls.py names them."""
from . import excel, items, linkage, plans, rules  # noqa: F401
