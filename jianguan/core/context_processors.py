from django.conf import settings

from . import navigation


def navigation_menu(request):
    return {
        "nav_items": navigation.items_for(getattr(request, "user", None)),
        "region_name": settings.JIANGUAN_REGION_NAME,
    }

