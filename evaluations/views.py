from django.shortcuts import render


def evaluation_list(request):
    """The evaluations register; its records arrive with the evaluations feature."""
    return render(request, "evaluations/evaluation_list.html")
