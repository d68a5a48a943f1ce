"""API of referrals and plans (/api/v1/referrals/, /api/v1/plans/, a returnee's service suggestions)."""

from django.urls import URLPattern, path

from awda.referrals.api import views

urlpatterns: list[URLPattern] = [
    path("referrals/", views.ReferralListApi.as_view(), name="referrals"),
    path("referrals/transfers/", views.TransferCreateApi.as_view(), name="referral_transfers"),
    path("referrals/<uuid:referral_uuid>/", views.ReferralDetailApi.as_view(), name="referral"),
    path("referrals/<uuid:referral_uuid>/send/", views.ReferralSendApi.as_view(), name="referral_send"),
    path("referrals/<uuid:referral_uuid>/accept/", views.ReferralAcceptApi.as_view(), name="referral_accept"),
    path(
        "referrals/<uuid:referral_uuid>/decline/", views.ReferralDeclineApi.as_view(), name="referral_decline"
    ),
    path("referrals/<uuid:referral_uuid>/start/", views.ReferralStartApi.as_view(), name="referral_start"),
    path(
        "referrals/<uuid:referral_uuid>/complete/",
        views.ReferralCompleteApi.as_view(),
        name="referral_complete",
    ),
    path(
        "referrals/<uuid:referral_uuid>/not-complete/",
        views.ReferralNotCompleteApi.as_view(),
        name="referral_not_complete",
    ),
    path("referrals/<uuid:referral_uuid>/revoke/", views.ReferralRevokeApi.as_view(), name="referral_revoke"),
    path(
        "referrals/<uuid:referral_uuid>/follow-up/",
        views.ReferralFollowUpApi.as_view(),
        name="referral_follow_up",
    ),
    path(
        "returnees/<uuid:returnee_uuid>/suggestions/",
        views.SuggestionListApi.as_view(),
        name="returnee_suggestions",
    ),
    path("plans/", views.PlanListApi.as_view(), name="plans"),
    path("plans/<uuid:plan_uuid>/", views.PlanDetailApi.as_view(), name="plan"),
    path("plans/<uuid:plan_uuid>/goals/", views.PlanGoalCreateApi.as_view(), name="plan_goals"),
    # Goals have no UUID: an action names its goal by id in the body, looked up only inside this plan.
    path("plans/<uuid:plan_uuid>/actions/", views.PlanActionCreateApi.as_view(), name="plan_actions"),
    path("plans/<uuid:plan_uuid>/submit/", views.PlanSubmitApi.as_view(), name="plan_submit"),
    path("plans/<uuid:plan_uuid>/approve/", views.PlanApproveApi.as_view(), name="plan_approve"),
    path("plans/<uuid:plan_uuid>/return/", views.PlanReturnApi.as_view(), name="plan_return"),
    path("plans/<uuid:plan_uuid>/agree/", views.PlanAgreeApi.as_view(), name="plan_agree"),
    path("plans/<uuid:plan_uuid>/review/", views.PlanReviewApi.as_view(), name="plan_review"),
    path("plans/<uuid:plan_uuid>/close/", views.PlanCloseApi.as_view(), name="plan_close"),
]
