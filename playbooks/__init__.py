"""What the crisis information unit has agreed (playbook files) and the engine that applies it:
users and roles, incidents, messages and approvals, cadence, the official crisis feed, the audit chain."""
