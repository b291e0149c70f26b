"""cnn-viewer: a desktop app that teaches and inspects convolutional neural networks."""

__version__ = "0.1.0"
