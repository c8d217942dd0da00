from django.core.paginator import Paginator

PER_PAGE = 50


def paginate(request, queryset, per_page: int = PER_PAGE):
    """A page of `queryset` for list views; a malformed or out-of-range ?page= gives the nearest page."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))
