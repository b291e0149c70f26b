"""The pooling lab: the page and its widgets."""
