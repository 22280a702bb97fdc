from .models import Rolle


def rolle(request):
    """The user's role for the navigation; the role names for comparisons in templates."""
    bruger = getattr(request, "user", None)
    return {
        "rolle": bruger.rolle if bruger is not None and bruger.is_authenticated else None,
        "Rolle": Rolle,
    }
