"""The Streamlit desk. Shows and acts; every rule it applies lives in playbooks/ or sources/."""
