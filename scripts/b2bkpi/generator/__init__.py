"""The data generator behind `python -m b2bkpi.generate`, one module per system simulated."""
