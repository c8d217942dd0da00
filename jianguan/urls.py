from django.contrib import admin
from django.urls import include, path

from jianguan.api import api

admin.site.site_header = "监管 Jianguan 后台"
admin.site.site_title = "监管 Jianguan"

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("jianguan.entities.urls")),
    path("", include("jianguan.records.urls")),
    path("", include("jianguan.credit.urls")),
    path("catalog/", include("jianguan.catalog.urls")),
    path("public/", include("jianguan.catalog.public_urls")),
    path("duties/", include("jianguan.duties.urls")),
    path("inspections/", include("jianguan.inspections.urls")),
    path("public/inspections/", include("jianguan.inspections.public_urls")),
    path("", include("jianguan.core.urls")),
]
