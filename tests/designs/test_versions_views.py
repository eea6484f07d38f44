"""Uploading versions through the form: files, change note, spec sheet, addressed comments; refusals keep the text."""
from __future__ import annotations

import re
from decimal import Decimal

from civic.clock import utcnow
from civic.community.rules import standing_of
from civic.designs.models import AddressedComment, DesignFile, DesignOption, DesignVersion, OptionVisit
from civic.extensions import db
from civic.notices.models import Notification, NoticeKind
from civic.threads import owners
from civic.threads.models import ThreadKind
from civic.threads.services import post_comment
from tests.designs.conftest import jpeg_bytes, plan_png


def _new_version_url(dworld, option) -> str:
    return f"/c/{dworld.community.slug}/designs/{option.id}/versions/new"


def _spec_form(**overrides) -> dict:
    return {"cost_yuan": "120,000", "area_m2": "18.5", "capacity": "6", "capacity_unit": "个桶位", "build_days": "30",
            "yearly_fee_yuan": "12", "spec_notes": "含除臭"} | overrides


def _png(name="plan.png", text="v"):
    import io
    return (io.BytesIO(plan_png(text)), name, "image/png")


def _jpeg(name="photo.jpg"):
    import io
    return (io.BytesIO(jpeg_bytes()), name, "image/jpeg")


def _comment(dworld, option, author, body: str):
    owner = owners.Owner(ThreadKind.DESIGN, option)
    comment = post_comment(option.thread, owner, author=author, standing=standing_of(author, dworld.community),
                           body=body, opinion=None, now=utcnow())
    db.session.commit()
    return comment


def test_create_upload_v1_then_v2_addressing_a_comment_then_publish(dworld, en, login_as, upload_dir):
    login_as(dworld.designer)
    en.post(f"/c/{dworld.community.slug}/projects/{dworld.project.id}/designs/new", data={"title": "东侧", "summary": ""})
    option = db.session.execute(db.select(DesignOption)).scalar_one()
    form = en.get(_new_version_url(dworld, option)).get_data(as_text=True)
    assert 'id="version-form"' in form and 'name="files"' in form and "multiple" in form and "capture" not in form
    assert 'accept="image/jpeg,image/png,image/webp,application/pdf"' in form and 'id="upload-progress"' in form
    assert "data-max-file-bytes=" in form and "data-max-request-bytes=" in form
    response = en.post(_new_version_url(dworld, option), content_type="multipart/form-data",
                       data={"files": [_png(), _jpeg()], "change_note": "", **_spec_form()})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/designs/{option.id}#versions")
    v1 = db.session.execute(db.select(DesignVersion)).scalar_one()
    assert [f.original_filename for f in v1.files] == ["plan.png", "photo.jpg"]
    assert v1.cost_yuan == Decimal("120000") and v1.capacity_unit == "个桶位"
    # The uploader's own version is not "new" to them.
    assert db.session.get(OptionVisit, (dworld.designer.id, option.id)).seen_version == 1
    en.post(f"/c/{dworld.community.slug}/designs/{option.id}/publish")
    comment = _comment(dworld, option, dworld.resident, "桶位太少了，能不能多放两个？")
    form = en.get(_new_version_url(dworld, option)).get_data(as_text=True)
    assert 'value="120000"' in form and 'value="18.5"' in form  # prefilled from v1
    assert f'name="addresses" type="checkbox" value="{comment.id}"' in form and "桶位太少了" in form
    assert "What changed since v1, and why" in form
    response = en.post(_new_version_url(dworld, option), content_type="multipart/form-data",
                       data={"files": [_png(text="v2")], "change_note": "加了两个桶位", "addresses": [str(comment.id)],
                             **_spec_form(capacity="8")})
    assert response.status_code == 303
    db.session.expire_all()
    v2 = db.session.execute(db.select(DesignVersion).where(DesignVersion.number == 2)).scalar_one()
    assert v2.capacity == 8 and "加了两个桶位" in v2.change_note_html
    assert db.session.get(AddressedComment, comment.id).version_id == v2.id
    kinds = {n.kind for n in db.session.execute(db.select(Notification).where(
        Notification.user_id == dworld.resident.id)).scalars()}
    assert {NoticeKind.DESIGN_VERSION, NoticeKind.DESIGN_ADDRESSED} <= kinds
    # An addressed comment is no longer offered.
    assert 'name="addresses"' not in en.get(_new_version_url(dworld, option)).get_data(as_text=True)


def test_change_note_is_required_from_v2(dworld, en, login_as, make_option, upload_dir):
    option = make_option(versions=1)
    login_as(dworld.designer)
    response = en.post(_new_version_url(dworld, option), content_type="multipart/form-data",
                       data={"files": [_png()], "change_note": "  ", **_spec_form(spec_notes="我的备注保留")})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Say what changed since v1" in html and "我的备注保留" in html
    assert db.session.execute(db.select(db.func.count()).select_from(DesignVersion)).scalar_one() == 1


def test_a_refused_file_keeps_the_text_and_stores_nothing(dworld, en, login_as, make_option, upload_dir):
    import io

    option = make_option(versions=1)
    before = set(upload_dir.iterdir())
    login_as(dworld.designer)
    response = en.post(_new_version_url(dworld, option), content_type="multipart/form-data",
                       data={"files": [_png(), (io.BytesIO(b"II*\x00" + b"\x00" * 64), "plan.tiff", "image/tiff")],
                             "change_note": "把厢房移到东侧", **_spec_form(cost_yuan="99,000")})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "plan.tiff" in html and "把厢房移到东侧" in html and 'value="99,000"' in html
    assert "choose the files again" in html
    assert set(upload_dir.iterdir()) == before
    assert db.session.execute(db.select(db.func.count()).select_from(DesignFile)).scalar_one() == 1
    db.session.refresh(option)
    assert option.version_count == 1


def test_no_file_is_refused_with_a_message(dworld, en, login_as, make_option, upload_dir):
    option = make_option(versions=1)
    login_as(dworld.designer)
    response = en.post(_new_version_url(dworld, option), content_type="multipart/form-data",
                       data={"change_note": "只改了说明", **_spec_form()})
    assert response.status_code == 422 and "Add at least one picture or PDF." in response.get_data(as_text=True)


def test_bad_numbers_are_refused_and_kept(dworld, en, login_as, make_option, upload_dir):
    option = make_option(versions=1)
    login_as(dworld.designer)
    response = en.post(_new_version_url(dworld, option), content_type="multipart/form-data",
                       data={"files": [_png()], "change_note": "x", **_spec_form(cost_yuan="十二万", build_days="-3")})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Enter a number, like 12000 or 18.5." in html
    assert "Enter a whole number from 0 to 3650." in html


def test_htmx_upload_redirects_and_a_refusal_returns_only_the_panel(dworld, en, login_as, make_option, upload_dir):
    option = make_option(versions=1)
    login_as(dworld.designer)
    hx = {"HX-Request": "true"}
    refused = en.post(_new_version_url(dworld, option), headers=hx, content_type="multipart/form-data",
                      data={"files": [_png()], "change_note": "", **_spec_form()})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "HX-Request" in refused.headers["Vary"]
    assert html.lstrip().startswith('<div id="version_panel">') and "<html" not in html
    done = en.post(_new_version_url(dworld, option), headers=hx, content_type="multipart/form-data",
                   data={"files": [_png(text="v2")], "change_note": "改了门", **_spec_form()})
    assert done.status_code == 200 and done.headers["HX-Redirect"].endswith(f"/designs/{option.id}#versions")
    assert "HX-Request" in done.headers["Vary"]
    assert db.session.execute(db.select(db.func.count()).select_from(DesignVersion)).scalar_one() == 2


def test_the_option_page_shows_the_current_versions_pictures(dworld, en, login_as, make_option, upload_dir):
    option = make_option(versions=2)
    login_as(dworld.resident)
    html = en.get(f"/c/{dworld.community.slug}/designs/{option.id}").get_data(as_text=True)
    current = option.versions[-1].files[0]
    assert f"/designs/files/{current.desktop_name}" in html and f"/designs/files/{current.picture_name}" in html
    items = re.findall(r'(?s)<li class="version[^"]*" data-version="\d+".*?</li>', html)
    assert len(items) == 2 and all("<img" in item for item in items)  # a thumbnail per version in the history


def test_a_request_over_the_cap_is_a_readable_413_in_the_errors_area(dworld, en, login_as, make_option, upload_dir,
                                                                   monkeypatch):
    import io

    from civic.designs import views_options

    option = make_option(versions=1)
    login_as(dworld.designer)
    monkeypatch.setattr(views_options, "REQUEST_CAP", 4_000)
    response = en.post(_new_version_url(dworld, option), headers={"HX-Request": "true"},
                       content_type="multipart/form-data",
                       data={"files": [(io.BytesIO(b"\x89PNG" + b"0" * 8_000), "big.png", "image/png")],
                             "change_note": "大文件"})
    assert response.status_code == 413 and response.headers["HX-Retarget"] == "#version-form-errors"
    assert "too large" in response.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count()).select_from(DesignVersion)).scalar_one() == 1
