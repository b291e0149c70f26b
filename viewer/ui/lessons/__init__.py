"""The Lessons panel: the course in order, each point one click away."""
