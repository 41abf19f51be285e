"""Every change the partner portal makes goes through these modules: invitations
(partner users), reports, declarations, obligations and reviews."""
