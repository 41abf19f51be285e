from django.shortcuts import render


def agreement_list(request):
    """The agreements register; its records arrive with the agreements feature."""
    return render(request, "agreements/agreement_list.html")
