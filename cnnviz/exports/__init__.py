"""A run leaving the app: one ZIP to hand to another machine, a TensorBoard log folder, and the
best model in the formats other tools read (SavedModel, TFLite, ONNX)."""
