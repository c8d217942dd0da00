from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("records/", views.record_list, name="record_list"),
    path("records/export/", views.exchange_export, name="export"),
    path("records/pending/", views.pending, name="pending"),
    path("records/pending/licences/<int:pk>/match/", views.pending_licence_match, name="pending_licence_match"),
    path("records/import/", views.import_page, name="import"),
    path("records/import/<int:pk>/", views.import_job, name="import_job"),
    path("records/import/<int:pk>/retry/", views.import_retry, name="import_retry"),
    path("records/import/<int:pk>/report.xlsx", views.import_report, name="import_report"),
    path("records/templates/<str:format>.xlsx", views.import_template, name="template"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<int:pk>/match/", views.record_match, name="record_match"),
]
