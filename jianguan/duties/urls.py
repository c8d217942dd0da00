from django.urls import path

from . import views

app_name = "duties"

urlpatterns = [
    path("", views.target_list, name="target_list"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("matrix/", views.matrix_view, name="matrix"),
    path("urges/", views.urge_list, name="urge_list"),
    path("urges/<int:pk>/<str:action>/", views.urge_action, name="urge_action"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
