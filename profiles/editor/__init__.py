"""The browser editor: the profile form and its formsets, the editor page, a new profile."""
