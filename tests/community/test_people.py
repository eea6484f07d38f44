"""A person in public is "display name · building", never a room number."""
from civic.community.people import public_label, public_labels


def test_label_is_name_and_building_only(app, make_household, make_member, make_user):
    home = make_household(room="1702")
    community = home.building.community
    resident = make_member(home, display_name="王阿姨")
    expert = make_user(display_name="郑工")  # no household here
    labels = public_labels([resident, expert], community)
    assert labels[resident.id] == f"王阿姨 · {home.building.name}"
    assert "1702" not in labels[resident.id]
    assert labels[expert.id] == "郑工"
    assert public_label("李老伯", None) == "李老伯"


def test_household_in_another_community_is_not_used(app, make_household, make_member, make_community):
    resident = make_member(make_household(), display_name="王阿姨")
    assert public_labels([resident], make_community())[resident.id] == "王阿姨"


def test_home_page_shows_the_public_label(client, make_household, make_member, login_as):
    home = make_household(room="1702")
    resident = make_member(home, display_name="王阿姨")
    login_as(resident)
    html = client.get(f"/c/{home.building.community.slug}/").get_data(as_text=True)
    assert f"王阿姨 · {home.building.name}" in html
