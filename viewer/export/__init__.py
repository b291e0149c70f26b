"""Pictures for slides, free of Qt: convolution frames and GIFs, pooling comparison sheets.

The pages' export buttons and the headless commands call the same functions here, so a
picture looks the same whichever way it was made. Only numpy, Pillow and ``viewer.core``.
"""
