from django.urls import path

from . import views

app_name = "databeskyttelse"

# No URL carries a CPR number: the search is POSTed, the downloads address the citizen by id.
urlpatterns = [
    path("indsigt/", views.soeg, name="indsigt"),
    path("indsigt/<int:pk>/pdf/", views.pdf, name="indsigt_pdf"),
    path("indsigt/<int:pk>/json/", views.json, name="indsigt_json"),
]
