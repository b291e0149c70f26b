"""The convolution lab: the page and its widgets."""
