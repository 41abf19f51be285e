"""The partner portal's pages: the partner's side (home, agreements, reports,
declaration, obligations, review, account) and the staff pages around it (staff_*)."""
