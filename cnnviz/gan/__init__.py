"""The GAN feature in one place: which images sizes it can draw (``plan``), its two networks
(``networks``), their training in the worker (``train``), the latent space (``latent``), the
images it learns from (``data``) and the grids it leaves in a run folder (``samples``).

Importing this package does not import TensorFlow: the GAN page checks a dataset and reads
a run's grids without it; only ``networks``, ``generator`` and ``train`` need Keras.
"""
