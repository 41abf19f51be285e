from django.contrib.auth.models import Group

from accounts import roles


def test_data_migration_creates_both_role_groups_with_partner_permissions(db):
    staff_permissions = set(
        Group.objects.get(name="Staff").permissions.values_list("codename", flat=True)
    )
    manager_permissions = set(
        Group.objects.get(name="Managers").permissions.values_list("codename", flat=True)
    )
    assert {"view_partner", "add_partner", "change_partner"} <= staff_permissions
    assert staff_permissions <= manager_permissions
    # Partners are archived, never deleted, from the interface.
    assert "delete_partner" not in staff_permissions | manager_permissions


def test_role_label_names_the_highest_role(staff, manager, no_role_user):
    assert roles.role_label(staff) == "Staff"
    assert roles.role_label(manager) == "Manager"
    assert roles.role_label(no_role_user) == "No role"
    assert roles.is_manager(manager)
    assert not roles.is_manager(staff)


def test_header_shows_user_and_role(manager_client, manager):
    response = manager_client.get("/")
    html = response.content.decode()
    assert "Maja Manager" in html
    assert "Manager" in html
    for section in ("Dashboard", "Partners", "Agreements", "Evaluations"):
        assert section in html
