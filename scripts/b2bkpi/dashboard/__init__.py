"""The KPI dashboard (Streamlit) and the charts it shares with the HTML report."""
