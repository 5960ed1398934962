"""Import a force's existing role profiles from Word, PDF and text documents.

readers (file -> blocks, refusing unsafe input) -> parser (blocks -> ParsedProfile,
plain values) -> save.save_imported (ParsedProfile -> draft RoleProfile, the one
conversion) ; service.import_files runs them per document, each in its own transaction.
"""
