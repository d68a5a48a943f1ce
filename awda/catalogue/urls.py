"""URLs of the catalogue: the public pages under /services/, the staff pages under /catalogue/."""

from django.urls import path

from awda.catalogue.views import manage, mapping, organisations, public, taxonomy

app_name = "catalogue"

urlpatterns = [
    path("services/", public.service_search, name="service_search"),
    path("services/export.<str:fmt>", manage.catalogue_export, name="export"),
    path("services/<uuid:service_uuid>/", public.service_public, name="service_public"),
    path(
        "services/providers/<uuid:organisation_uuid>/", public.organisation_public, name="organisation_public"
    ),
    path("catalogue/", manage.catalogue_home, name="home"),
    path("catalogue/services/new/", manage.service_new, name="service_new"),
    path("catalogue/services/<uuid:service_uuid>/", manage.service_history, name="service_history"),
    path("catalogue/services/<uuid:service_uuid>/edit/", manage.service_edit, name="service_edit"),
    path("catalogue/services/<uuid:service_uuid>/load/", manage.service_load, name="service_load"),
    path("catalogue/services/<uuid:service_uuid>/active/", manage.service_active, name="service_active"),
    path("catalogue/changes/<uuid:change_uuid>/", manage.change_page, name="change"),
    path("catalogue/import/", manage.catalogue_import, name="import"),
    path("catalogue/taxonomy/", taxonomy.taxonomy, name="taxonomy"),
    path("catalogue/taxonomy/<slug:code>/", taxonomy.taxonomy_edit, name="taxonomy_edit"),
    path("catalogue/organisations/", organisations.organisation_list, name="organisations"),
    path("catalogue/organisations/new/", organisations.organisation_new, name="organisation_new"),
    path(
        "catalogue/organisations/<uuid:organisation_uuid>/",
        organisations.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "catalogue/organisations/<uuid:organisation_uuid>/programmes/new/",
        organisations.programme_edit,
        name="programme_new",
    ),
    path(
        "catalogue/organisations/<uuid:organisation_uuid>/programmes/<uuid:programme_uuid>/",
        organisations.programme_edit,
        name="programme_edit",
    ),
    path("catalogue/mapping/", mapping.mapping_page, name="mapping"),
    path("catalogue/mapping/export.csv", mapping.mapping_export, name="mapping_export"),
]
