"""Text for people: number formatting, numbers as typed, the wording templates, small HTML builders."""
