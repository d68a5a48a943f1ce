"""URLs of the registry."""

from django.urls import path

from awda.registry.views import cases, categories, intake, questions

app_name = "registry"

urlpatterns = [
    path("returnees/", cases.returnee_list, name="returnee_list"),
    path("returnees/export.<str:fmt>", cases.returnee_export, name="returnee_export"),
    path("returnees/form.xlsx", cases.case_form_xlsform, name="case_form_xlsform"),
    path("returnees/new/", intake.intake_start, name="intake_start"),
    path("returnees/intake/<uuid:draft_uuid>/review/", intake.intake_review, name="intake_review"),
    path("returnees/intake/<uuid:draft_uuid>/discard/", intake.intake_discard, name="intake_discard"),
    path("returnees/intake/<uuid:draft_uuid>/<str:step>/", intake.intake_step, name="intake_step"),
    path("returnees/<uuid:returnee_uuid>/", cases.case_page, name="case"),
    path("returnees/<uuid:returnee_uuid>/edit/<str:section>/", cases.case_edit, name="case_edit"),
    path("returnees/<uuid:returnee_uuid>/status/", cases.case_status, name="case_status"),
    path("returnees/<uuid:returnee_uuid>/consents/", cases.consent_add, name="consent_add"),
    path(
        "returnees/<uuid:returnee_uuid>/consents/<uuid:consent_uuid>/withdraw/",
        cases.consent_withdraw,
        name="consent_withdraw",
    ),
    path("returnees/<uuid:returnee_uuid>/household/", cases.member_add, name="member_add"),
    path(
        "returnees/<uuid:returnee_uuid>/household/<uuid:member_uuid>/remove/",
        cases.member_remove,
        name="member_remove",
    ),
    path("returnees/<uuid:returnee_uuid>/extra/", questions.case_extra, name="case_extra"),
    path("manage/questions/", questions.form_list, name="form_list"),
    path("manage/questions/<slug:code>/", questions.form_edit, name="form_edit"),
    path("manage/categories/", categories.category_list, name="category_list"),
    path("manage/categories/<slug:code>/", categories.category_edit, name="category_edit"),
]
