"""The API of data exchange under /api/v1/: each API module lists its own URLs; they are gathered here."""

from awda.exchange.api import agreements, imports

urlpatterns = [*imports.urlpatterns, *agreements.urlpatterns]
