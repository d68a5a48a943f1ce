"""Awda's URLs: pages, the API under /api/v1/, and its schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from awda.accounts.api import views as accounts_api
from awda.catalogue.api import proposals as catalogue_proposals_api
from awda.catalogue.api import views as catalogue_api
from awda.exchange.api import urls as exchange_api
from awda.geo.api import views as geo_api
from awda.jobs.api import urls as jobs_api
from awda.monitoring.api import urls as monitoring_api
from awda.referrals.api import urls as referrals_api
from awda.registry.api import views as registry_api

api_v1 = [
    path("me/", accounts_api.MeApi.as_view(), name="me"),
    path("users/", accounts_api.UserListApi.as_view(), name="users"),
    path("users/<uuid:user_uuid>/", accounts_api.UserDetailApi.as_view(), name="user"),
    path("institutions/", accounts_api.InstitutionListApi.as_view(), name="institutions"),
    path(
        "institutions/<uuid:institution_uuid>/",
        accounts_api.InstitutionDetailApi.as_view(),
        name="institution",
    ),
    path("offices/", accounts_api.OfficeListApi.as_view(), name="offices"),
    path("audit/", accounts_api.AuditListApi.as_view(), name="audit"),
    path("tasks/<str:task_id>/", accounts_api.TaskProgressApi.as_view(), name="task"),
    path("returnees/", registry_api.ReturneeListApi.as_view(), name="returnees"),
    path("returnees/duplicate-check/", registry_api.DuplicateCheckApi.as_view(), name="duplicate_check"),
    path("returnees/<uuid:returnee_uuid>/", registry_api.ReturneeDetailApi.as_view(), name="returnee"),
    path(
        "returnees/<uuid:returnee_uuid>/consents/",
        registry_api.ConsentListApi.as_view(),
        name="returnee_consents",
    ),
    path(
        "returnees/<uuid:returnee_uuid>/consents/<uuid:consent_uuid>/withdraw/",
        registry_api.ConsentWithdrawApi.as_view(),
        name="returnee_consent_withdraw",
    ),
    path(
        "returnees/<uuid:returnee_uuid>/household/",
        registry_api.HouseholdApi.as_view(),
        name="returnee_household",
    ),
    path(
        "returnees/<uuid:returnee_uuid>/categories/",
        registry_api.ReturneeCategoriesApi.as_view(),
        name="returnee_categories",
    ),
    path("categories/", registry_api.CategoryListApi.as_view(), name="categories"),
    path("geo/governorates/", geo_api.GovernorateListApi.as_view(), name="governorates"),
    path("geo/districts/", geo_api.DistrictListApi.as_view(), name="districts"),
    path("geo/sub-districts/", geo_api.SubDistrictListApi.as_view(), name="sub_districts"),
    path("geo/countries/", geo_api.CountryListApi.as_view(), name="countries"),
    path("services/", catalogue_api.ServiceListApi.as_view(), name="services"),
    path("services/proposals/", catalogue_proposals_api.ProposalListApi.as_view(), name="service_proposals"),
    path(
        "services/proposals/<uuid:change_uuid>/decision/",
        catalogue_proposals_api.ProposalDecisionApi.as_view(),
        name="service_proposal_decision",
    ),
    path(
        "services/<uuid:service_uuid>/proposals/",
        catalogue_proposals_api.ServiceProposalApi.as_view(),
        name="service_proposal",
    ),
    path("services/<uuid:service_uuid>/", catalogue_api.ServiceDetailApi.as_view(), name="service"),
    path("service-categories/", catalogue_api.ServiceCategoryListApi.as_view(), name="service_categories"),
    *exchange_api.urlpatterns,
    *referrals_api.urlpatterns,
    *jobs_api.urlpatterns,
    *monitoring_api.urlpatterns,
]

urlpatterns = [
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("", include("awda.accounts.urls")),
    path("", include("awda.registry.urls")),
    path("", include("awda.catalogue.urls")),
    path("referrals/", include("awda.referrals.urls")),
    path("jobs/", include("awda.jobs.urls")),
    path("monitoring/", include("awda.monitoring.urls")),
    path("exchange/", include("awda.exchange.urls")),
    path("", include("awda.portal.urls")),
]

handler400 = "awda.portal.views.errors.bad_request"
handler403 = "awda.portal.views.errors.permission_denied"
handler404 = "awda.portal.views.errors.page_not_found"
handler500 = "awda.portal.views.errors.server_error"
