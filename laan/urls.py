from django.urls import path

from .views import faelles, gaeldsbrev, handlinger, kontoudtog, portefoelje, sider

app_name = "laan"

urlpatterns = [
    # The loans of one programme: the section the programme page loads with htmx (a page of its
    # own without JavaScript), and the application posted from it.
    path("forloeb/<int:forloeb_pk>/", sider.forloeb, name="forloeb"),
    path("forloeb/<int:forloeb_pk>/ansoeg/", handlinger.ansoeg, name="ansoeg"),
    # The loan page and its actions, each its own POST URL (named as in faelles.HANDLINGER).
    path("<int:pk>/", sider.detalje, name="detalje"),
    # The loan agreement as a PDF, from the approval on (laan/gaeldsbrev.py).
    path("<int:pk>/gaeldsbrev.pdf", gaeldsbrev.gaeldsbrev, name="gaeldsbrev"),
    *(
        path(f"<int:pk>/{navn.replace('_', '-')}/", handlinger.udfoer, {"navn": navn}, name=navn)
        for navn in faelles.HANDLINGER
    ),
    path(
        "<int:pk>/indbetalinger/<int:indbetaling_pk>/tilbagefoer/",
        handlinger.tilbagefoer,
        name="tilbagefoer",
    ),
    # The portfolio of the user's organisation, its spreadsheet, and the bank statement import.
    path("", portefoelje.portefoelje, name="portefoelje"),
    path("portefoelje.xlsx", portefoelje.regneark, name="portefoelje_xlsx"),
    path("kontoudtog/", kontoudtog.upload, name="kontoudtog"),
    path("kontoudtog/importer/", kontoudtog.importer, name="kontoudtog_importer"),
]
