"""Training small networks live: datasets, the CIFAR family of the ResNet paper, the trainer,
its record and the presets, and saving a trained network for the explorer. Qt-free."""
