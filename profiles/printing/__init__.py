"""What a profile prints as: the document context, house styles, PDF, Word, advert, sheets."""
