"""The ResNet explorer: the page and its widgets."""
