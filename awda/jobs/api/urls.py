"""API of the job market (/api/v1/employers/, /api/v1/offers/, /api/v1/placements/, a person's offers)."""

from django.urls import URLPattern, path

from awda.jobs.api import views

urlpatterns: list[URLPattern] = [
    path("employers/", views.EmployerListApi.as_view(), name="employers"),
    # Open to anyone on purpose (a company signs up); GET answers 405.
    path("employers/register/", views.EmployerRegisterApi.as_view(), name="employer_register"),
    path("employers/<uuid:employer_uuid>/", views.EmployerDetailApi.as_view(), name="employer"),
    path("employers/<uuid:employer_uuid>/review/", views.EmployerReviewApi.as_view(), name="employer_review"),
    path(
        "employers/<uuid:employer_uuid>/commitments/",
        views.CommitmentListApi.as_view(),
        name="employer_commitments",
    ),
    path(
        "employers/<uuid:employer_uuid>/commitments/<uuid:commitment_uuid>/",
        views.CommitmentDetailApi.as_view(),
        name="employer_commitment",
    ),
    path("offers/", views.OfferListApi.as_view(), name="offers"),
    path("offers/<uuid:offer_uuid>/", views.OfferDetailApi.as_view(), name="offer"),
    path("offers/<uuid:offer_uuid>/status/", views.OfferStatusApi.as_view(), name="offer_status"),
    path("offers/<uuid:offer_uuid>/candidates/", views.CandidateListApi.as_view(), name="offer_candidates"),
    path(
        "offers/<uuid:offer_uuid>/candidates/request/",
        views.CandidateRequestApi.as_view(),
        name="offer_candidate_request",
    ),
    path("placements/", views.PlacementListApi.as_view(), name="placements"),
    path("placements/<uuid:placement_uuid>/", views.PlacementDetailApi.as_view(), name="placement"),
    path(
        "placements/<uuid:placement_uuid>/agree/", views.PlacementAgreeApi.as_view(), name="placement_agree"
    ),
    path(
        "placements/<uuid:placement_uuid>/share/", views.PlacementShareApi.as_view(), name="placement_share"
    ),
    path(
        "placements/<uuid:placement_uuid>/interview/",
        views.PlacementInterviewApi.as_view(),
        name="placement_interview",
    ),
    path("placements/<uuid:placement_uuid>/hire/", views.PlacementHireApi.as_view(), name="placement_hire"),
    path(
        "placements/<uuid:placement_uuid>/not-hired/",
        views.PlacementNotHiredApi.as_view(),
        name="placement_not_hired",
    ),
    path(
        "placements/<uuid:placement_uuid>/withdraw/",
        views.PlacementWithdrawApi.as_view(),
        name="placement_withdraw",
    ),
    path(
        "placements/<uuid:placement_uuid>/retention/",
        views.PlacementRetentionApi.as_view(),
        name="placement_retention",
    ),
    path(
        "returnees/<uuid:returnee_uuid>/offers/", views.ReturneeOfferListApi.as_view(), name="returnee_offers"
    ),
    path(
        "returnees/<uuid:returnee_uuid>/job-profile/",
        views.JobProfileApi.as_view(),
        name="returnee_job_profile",
    ),
]
