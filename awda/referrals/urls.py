"""URLs of referrals and plans, under /referrals/."""

from django.urls import path

from awda.referrals.views import cases, plans, referrals

app_name = "referrals"

urlpatterns = [
    path("inbox/", referrals.inbox, name="inbox"),
    path("sent/", referrals.sent, name="sent"),
    path("statistics/", referrals.statistics_page, name="statistics"),
    path("<uuid:referral_uuid>/", referrals.referral_page, name="referral"),
    path("<uuid:referral_uuid>/<slug:step>/", referrals.referral_step, name="referral_step"),
    path("cases/<uuid:returnee_uuid>/needs/", cases.needs_assessment, name="needs"),
    path("cases/<uuid:returnee_uuid>/refer/", cases.refer, name="refer"),
    path("cases/<uuid:returnee_uuid>/transfer/", cases.transfer, name="transfer"),
    path("cases/<uuid:returnee_uuid>/proposals/<slug:code>/", cases.proposal_decide, name="proposal"),
    path("cases/<uuid:returnee_uuid>/plan/", plans.plan_create, name="plan_create"),
    path("plans/approvals/", plans.approvals, name="approvals"),
    path("plans/<uuid:plan_uuid>/", plans.plan_page, name="plan"),
    path("plans/<uuid:plan_uuid>/print/", plans.plan_print, name="plan_print"),
    path("plans/<uuid:plan_uuid>/<slug:step>/", plans.plan_step, name="plan_step"),
]
