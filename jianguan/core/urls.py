from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/new/", views.department_edit, name="department_create"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    path("departments/<int:pk>/share/", views.department_share, name="department_share"),
    path("accounts/", views.user_list, name="user_list"),
    path("accounts/new/", views.user_create, name="user_create"),
    path("accounts/<int:pk>/", views.user_detail, name="user_detail"),
    path("accounts/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("accounts/<int:pk>/reveal/<str:field>/", views.user_reveal, name="user_reveal"),
    path("accounts/<int:pk>/<str:action>/", views.user_action, name="user_action"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("history/<str:object_type>/<str:object_id>/", views.object_history, name="object_history"),
    path("params/", views.param_list, name="param_list"),
    path("calendar/", views.calendar_view, name="calendar"),
]
