"""Orchestration for the B2B marketing & sales KPI dbt project."""
