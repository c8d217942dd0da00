from django.urls import path

from . import views

app_name = "entities"

urlpatterns = [
    path("entities/", views.entity_list, name="entity_list"),
    path("entities/new/", views.entity_create, name="entity_create"),
    path("entities/people/<int:pk>/", views.person_detail, name="person_detail"),
    path("entities/<str:uscc>/", views.entity_detail, name="entity_detail"),
    path("entities/<str:uscc>/print/", views.entity_print, name="entity_print"),
    path("entities/<str:uscc>/edit/", views.entity_edit, name="entity_edit"),
    path("entities/<str:uscc>/status/", views.entity_status, name="entity_status"),
    path("entities/<str:uscc>/people/", views.person_link, name="person_link"),
]
