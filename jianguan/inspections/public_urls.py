"""Anonymous pages (一公开): the item list, inspector directory, tasks with their verifiable draws and results."""
from django.urls import path

from . import views

app_name = "public_inspections"

urlpatterns = [
    path("", views.public_index, name="index"),
    path("tasks/<str:code>/", views.public_task, name="task"),
    path("tasks/<str:code>/draws/<int:number>/candidates.csv", views.candidates_download, name="candidates"),
]
