from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from hoshin.core import account, api, home
from hoshin.core.admin import site as admin_site
from hoshin.core.urls import register_urls
from hoshin.improvement import urls as improvement_urls
from hoshin.planning import urls as planning_urls
from hoshin.support import urls as support_urls

# Each app's admin.py registers on Hoshin's own admin site (SimpleAdminConfig does not
# look for them by itself).
admin.autodiscover()
router = api.build_router()

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", account.my_settings, name="my_settings"),
    path("", include("hoshin.core.inbox_urls")),
    path("me/password/", account.my_password, name="my_password"),
    path("me/token/revoke/", account.revoke_my_token, name="my_token_revoke"),
    path("", include(improvement_urls)),
    path("", include(support_urls)),
    path("", include(planning_urls)),
    *register_urls(),
    path("admin/", admin_site.urls),
    path("api/auth/token/", api.ObtainToken.as_view(), name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include(router.urls)),
]
