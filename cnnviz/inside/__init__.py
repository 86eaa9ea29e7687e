"""Looking inside a trained network for one image: feature maps, filters, Grad-CAM and
occlusion sensitivity (report A's analysis section). Needs TensorFlow; pages import it lazily."""
