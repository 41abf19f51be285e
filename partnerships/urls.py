from django.urls import path

from partnerships import views, views_dialogue

app_name = "partnerships"

urlpatterns = [
    path("", views.partner_list, name="partner_list"),
    path("new/", views.partner_create, name="partner_create"),
    path("import/", views.partner_import, name="partner_import"),
    path(
        "import/template.<str:file_format>",
        views.partner_import_template,
        name="partner_import_template",
    ),
    path("import/<str:token>/", views.partner_import_preview, name="partner_import_preview"),
    path("<int:pk>/", views.partner_detail, name="partner_detail"),
    path("<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("<int:pk>/archive/", views.partner_archive, name="partner_archive"),
    path(
        "<int:pk>/routines-document/",
        views.partner_routines_document,
        name="partner_routines_document",
    ),
    path("<int:pk>/assessments/new/", views.assessment_create, name="assessment_create"),
    path(
        "<int:pk>/assessments/<int:assessment_pk>/",
        views.assessment_detail,
        name="assessment_detail",
    ),
    path("<int:pk>/dialogue/", views_dialogue.dialogue_list, name="dialogue_list"),
    path("<int:pk>/dialogue/new/", views_dialogue.dialogue_create, name="dialogue_create"),
    path(
        "<int:pk>/dialogue/<int:entry_pk>/",
        views_dialogue.dialogue_detail,
        name="dialogue_detail",
    ),
    path(
        "<int:pk>/dialogue/<int:entry_pk>/edit/",
        views_dialogue.dialogue_edit,
        name="dialogue_edit",
    ),
    path("follow-ups/", views_dialogue.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:pk>/done/", views_dialogue.follow_up_done, name="follow_up_done"),
]
