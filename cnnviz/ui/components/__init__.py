"""Pieces that several pages draw alike: translated choices, the run picker, the run card and
its live polling, rows of images, the ZIP-or-path input. Each page composes them."""
