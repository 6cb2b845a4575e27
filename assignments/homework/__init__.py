"""The homework assignment: stubs, data and the generated notebook."""

LANGUAGE = "both"  # default language of the feedback: "ko", "en" or "both" (English, then Korean)
