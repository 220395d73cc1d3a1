from dashboard.views import approvals

approvals.render()
