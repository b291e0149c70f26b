"""The Qt layer: displays what viewer.core computes and forwards what the user asks for."""
