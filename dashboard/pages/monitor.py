from dashboard.views import monitor

monitor.render()
