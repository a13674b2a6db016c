"""Authentication: tokens -> principal (merchant, app, scopes). The OAuth flows build on this seam."""
