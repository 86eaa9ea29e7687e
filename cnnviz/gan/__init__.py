"""The GAN feature in one place: the image sizes it can draw (``plan``), its two networks
(``networks``), their training in the worker (``train``), a run's generator ready to draw
(``generator``), the latent space (``latent``), the images it learns from (``data``), the
checks for copying and collapse (``checks``), the grids a run keeps in ``samples/``
(``samples``) and the GAN page's figures (``figures``).

Importing this package does not import TensorFlow: the GAN page checks a dataset and reads
a run's grids without it; only ``networks``, ``generator`` and ``train`` need Keras.
"""
