from django.urls import path

from .views import excel, items, linkage, plans, rules

app_name = "catalog"

urlpatterns = [
    path("items/", items.item_list, name="item_list"),
    path("items/new/", items.item_create, name="item_create"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<int:pk>/history/", items.item_history, name="item_history"),
    path("items/<int:pk>/review/", items.item_review_clear, name="item_review_clear"),
    path("items/<int:item_pk>/impl/new/", items.impl_create, name="impl_create"),
    path("items/<int:item_pk>/guideline/", items.guideline_view, name="guideline"),
    path("impl/", items.impl_list, name="impl_list"),
    path("impl/<int:pk>/", items.impl_detail, name="impl_detail"),
    path("impl/<int:pk>/edit/", items.impl_edit, name="impl_edit"),
    path("impl/<int:pk>/history/", items.impl_history, name="impl_history"),
    path("guidelines/", items.guideline_list, name="guideline_list"),
    path("provisions/", items.provision_list, name="provision_list"),
    path("provisions/<int:pk>/", items.provision_detail, name="provision_detail"),
    path("rules/", rules.rule_list, name="rule_list"),
    path("rules/new/", rules.rule_create, name="rule_create"),
    path("rules/<int:pk>/", rules.rule_detail, name="rule_detail"),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/county/<int:year>/", plans.county_plan, name="county_plan"),
    path("plans/county/<int:year>/<str:action>/", plans.county_plan_action, name="county_plan_action"),
    path("notices/", linkage.notice_list, name="notice_list"),
    path("notices/<int:pk>/", linkage.notice_detail, name="notice_detail"),
    path("licences/<int:licence_pk>/supervision/", linkage.licence_supervision, name="licence_supervision"),
    path("routes/", linkage.route_list, name="route_list"),
    path("filing-matters/", linkage.filing_matter_list, name="filing_matter_list"),
    path("filing-matters/<int:pk>/", linkage.filing_matter_detail, name="filing_matter_detail"),
    path("verifications/", linkage.verification_list, name="verification_list"),
    path("verifications/<int:pk>/complete/", linkage.verification_complete, name="verification_complete"),
    path("excel/<str:kind>/template/", excel.template_download, name="excel_template"),
    path("excel/<str:kind>/import/", excel.import_view, name="excel_import"),
]
