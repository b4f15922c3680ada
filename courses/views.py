from django.shortcuts import render
from django.views.decorators.http import require_safe

from courses.forms import CatalogFilterForm
from courses.selectors import CatalogFilters, catalog


@require_safe
def catalog_view(request):
    form = CatalogFilterForm(request.GET or None)
    filters = CatalogFilters(**form.cleaned_data) if form.is_valid() else CatalogFilters()
    result = catalog(filters)
    status = 400 if form.is_bound and not form.is_valid() else 200
    context = {
        "form": form,
        "filters": filters,
        "courses": result.courses,
        "module_hits": result.module_hits,
        "is_filtered": any(vars(filters).values()),
    }
    return render(request, "courses/catalog.html", context, status=status)
