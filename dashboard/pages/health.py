from dashboard.views import health

health.render()
