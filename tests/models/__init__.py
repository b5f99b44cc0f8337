"""Request and response models: Siigo's examples, one ValidationError, documents read back as bodies."""
