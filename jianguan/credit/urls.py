from django.urls import path

from . import views

app_name = "credit"

urlpatterns = [
    path("credit/", views.dashboard, name="dashboard"),
    path("credit/grade/", views.grade_run, name="grade_run"),
    path("credit/check/", views.check, name="check"),
    path("credit/check/<int:pk>/report/", views.check_report, name="check_report"),
    path("credit/checks/", views.check_log, name="check_log"),
    path("credit/abnormal/", views.abnormal_list, name="abnormal_list"),
    path("credit/abnormal/<int:pk>/remove/", views.abnormal_remove, name="abnormal_remove"),
    path("credit/serious/", views.serious_list, name="serious_list"),
    path("credit/serious/<int:pk>/<str:action>/", views.serious_action, name="serious_action"),
    path("credit/remedies/", views.remedies, name="remedies"),
    path("credit/remedies/<str:kind>/<int:pk>/", views.remedy_decide, name="remedy_decide"),
    path("credit/measures/", views.measures, name="measures"),
    path("credit/rules/", views.rules_page, name="rules"),
    path("credit/me/", views.my_credit, name="my_credit"),
    path("credit/me/<str:action>/", views.my_action, name="my_action"),
    path("credit/entities/<str:uscc>/", views.entity_credit, name="entity"),
    path("credit/entities/<str:uscc>/<str:action>/", views.entity_action, name="entity_action"),
    path("public/credit/", views.public_search, name="public_search"),
    path("public/credit/verify/", views.public_verify, name="public_verify"),
    path("public/credit/<str:uscc>/", views.public_entity, name="public_entity"),
    path("public/credit/<str:uscc>/report/", views.public_report, name="public_report"),
]
