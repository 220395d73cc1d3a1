from dashboard.views import drafting

drafting.render()
