"""Pure analysis of finished runs: metrics, confusion, per-class views, embeddings."""
