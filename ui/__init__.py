"""Shared code of the Streamlit app: text (i18n), formatting, charts, session state."""
