from django.shortcuts import render

from mikrolaan.konti.models import Rolle

FORSIDE_SKABELONER = {
    Rolle.SAGSBEHANDLER: "oversigt/forside_sagsbehandler.html",
    Rolle.FORLOEBSMEDARBEJDER: "oversigt/forside_forloebsmedarbejder.html",
    Rolle.ERHVERVSCHEF: "oversigt/forside_erhvervschef.html",
    Rolle.ADMINISTRATOR: "oversigt/forside_administrator.html",
}


def forside(request):
    """Each role's home page: what that role does in Mikrolån and where to start."""
    skabelon = FORSIDE_SKABELONER.get(request.user.rolle, "oversigt/forside_uden_rolle.html")
    return render(request, skabelon)
