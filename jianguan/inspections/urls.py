from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("new/", views.task_create, name="task_create"),
    path("tasks/<str:code>/", views.task_detail, name="task_detail"),
    path("tasks/<str:code>/export/", views.task_export, name="task_export"),
    path("tasks/<str:code>/<str:action>/", views.task_action, name="task_action"),
    path("mine/", views.my_visits, name="my_visits"),
    path("visits/<str:code>/", views.visit_detail, name="visit_detail"),
    path("objects/<int:pk>/result/", views.result_save, name="result_save"),
    path("objects/<int:pk>/publish/", views.result_publish, name="result_publish"),
    path("objects/<int:pk>/correct/", views.result_correct, name="result_correct"),
    path("assignments/<int:pk>/recuse/", views.recuse, name="recuse"),
    path("publication/", views.publication, name="publication"),
    path("inspectors/", views.inspector_list, name="inspector_list"),
    path("inspectors/sync/", views.inspector_sync, name="inspector_sync"),
    path("inspectors/<int:pk>/", views.inspector_detail, name="inspector_detail"),
    path("inspectors/<int:pk>/conflicts/", views.conflict_declare, name="conflict_declare"),
    path("inspectors/<int:pk>/conflicts/<int:conflict_pk>/withdraw/", views.conflict_withdraw, name="conflict_withdraw"),
    path("items/", views.item_list, name="item_list"),
    path("items/<str:code>/", views.item_directory, name="item_directory"),
    path("items/<str:code>/adjust/", views.item_adjust, name="item_adjust"),
    path("key/", views.key_list, name="key_list"),
    path("key/<int:pk>/end/", views.key_end, name="key_end"),
    path("repeated/", views.repeated, name="repeated"),
]
