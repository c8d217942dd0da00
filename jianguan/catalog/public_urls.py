"""Anonymous pages: published rules and standards, published work guidelines."""
from django.urls import path

from .views import rules

app_name = "public"

urlpatterns = [
    path("rules/", rules.public_rules, name="rules"),
    path("rules/<int:pk>/", rules.public_rule_detail, name="rule_detail"),
    path("guidelines/", rules.public_guidelines, name="guidelines"),
    path("guidelines/<str:code>/", rules.public_guideline_detail, name="guideline_detail"),
]
