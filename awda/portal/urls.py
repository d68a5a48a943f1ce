"""URLs of the shell."""

from django.urls import path

from awda.portal.views import notifications, pages

app_name = "portal"

urlpatterns = [
    path("", pages.landing, name="landing"),
    path("home/", pages.home, name="home"),
    path("i18n/setlang/", pages.set_language, name="set_language"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path(
        "notifications/<uuid:notification_uuid>/", notifications.notification_open, name="notification_open"
    ),
    path("tasks/<str:task_id>/", pages.task_page, name="task"),
    path("tasks/<str:task_id>/progress/", pages.task_progress, name="task_progress"),
]
