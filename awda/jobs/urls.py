"""URLs of the job market, under /jobs/."""

from django.urls import path

from awda.jobs.views import cases, employers, market, offers, placements

app_name = "jobs"

urlpatterns = [
    path("", offers.offer_list, name="offers"),
    path("register/", employers.register, name="register"),
    path("employers/", employers.employer_list, name="employers"),
    path("employers/new/", employers.employer_new, name="employer_new"),
    path("employers/<uuid:employer_uuid>/", employers.employer_page, name="employer"),
    path("employers/<uuid:employer_uuid>/edit/", employers.employer_edit, name="employer_edit"),
    path("employers/<uuid:employer_uuid>/review/", employers.employer_review, name="employer_review"),
    path("employers/<uuid:employer_uuid>/commitments/", employers.commitment_add, name="commitment_add"),
    path("commitments/<uuid:commitment_uuid>/", employers.commitment_record, name="commitment_record"),
    path("employers/<uuid:employer_uuid>/offers/new/", offers.offer_new, name="offer_new"),
    path("occupations/", offers.occupation_search, name="occupation_search"),
    path("offers/<uuid:offer_uuid>/", offers.offer_page, name="offer"),
    path("offers/<uuid:offer_uuid>/edit/", offers.offer_edit, name="offer_edit"),
    path("offers/<uuid:offer_uuid>/status/", offers.offer_status, name="offer_status"),
    path("offers/<uuid:offer_uuid>/request/", offers.candidate_request, name="candidate_request"),
    path("placements/", placements.placement_list, name="placements"),
    path("placements/<uuid:placement_uuid>/", placements.placement_page, name="placement"),
    path("placements/<uuid:placement_uuid>/retention/", placements.retention_record, name="retention_record"),
    path("placements/<uuid:placement_uuid>/<slug:step>/", placements.placement_step, name="placement_step"),
    path("retention/", placements.retention_list, name="retention"),
    path("cases/<uuid:returnee_uuid>/profile/", cases.profile_edit, name="profile"),
    path("cases/<uuid:returnee_uuid>/offers/", cases.person_offers, name="person_offers"),
    path("cases/<uuid:returnee_uuid>/propose/", cases.propose, name="propose"),
    path("market/", market.market_page, name="market"),
    path("market/export.<slug:fmt>", market.market_export, name="market_export"),
]
