"""Pages of data exchange: each views module lists its own URLs; they are gathered here."""

from awda.exchange.views import agreements, imports, quality, review

app_name = "exchange"

urlpatterns = [*imports.urlpatterns, *review.urlpatterns, *agreements.urlpatterns, *quality.urlpatterns]
