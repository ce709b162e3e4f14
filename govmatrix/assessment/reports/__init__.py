"""The assessment's documents: the xlsx ranking and the docx quarterly notice (通报)."""
