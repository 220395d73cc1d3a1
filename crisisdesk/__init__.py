"""The `crisisdesk` command: a thin face over sources, playbooks and dashboard."""
