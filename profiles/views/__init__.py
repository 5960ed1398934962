"""The pages of the profiles app, one module per area; profiles.urls names them."""
