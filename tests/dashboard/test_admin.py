"""Administration as a hostile or clumsy administrator would use it (AppTest): a registry file that YAML
cannot read or the database cannot hold is refused with what is wrong and where, never a traceback."""

from __future__ import annotations

import pytest
import yaml

from playbooks.workflow import accounts
from sources.registry import list_accounts
from tests.dashboard import test_app as base
from tests.dashboard.test_app import signed_in
from tests.helpers.registry import account

desk = base.desk  # the same desk as the other page tests


def _yaml(entries: list[dict[str, object]], organisation: str = "Torsby kommun") -> bytes:
    document = {"organisation": organisation, "allow_networks": ["127.0.0.0/8"], "accounts": entries}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()


def _good(**fields: object) -> dict[str, object]:
    return account("fb", "http://127.0.0.1:9/fb", "social", platform="facebook", administrators=["a@x", "b@x"]) | fields


def _errors(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(e.value for e in app.error).replace("\\", "")


@pytest.mark.parametrize(("data", "where"), [
    (b"organisation: Torsby\naccounts: []\x00\n", "line 2, column 13"),
    (b"organisation: Torsby \x07kommun\naccounts: []\n", "line 1, column 22"),
    (b"\x1b[2Jorganisation: x\n", "line 1, column 1"),
])  # fmt: skip
def test_a_registry_file_with_a_control_character_says_where(desk, data: bytes, where: str) -> None:
    # PyYAML refuses these characters before it parses anything, with an error the page did not catch.
    app = signed_in("admin", "administration")
    app.file_uploader(key="registry-upload").set_value(("reg.yaml", data, "application/yaml")).run()
    assert not app.exception, app.exception
    assert f"{where}: a character YAML does not allow" in _errors(app)
    assert "Nothing was imported" in _errors(app)
    assert "registry-import" not in [b.key for b in app.button]


@pytest.mark.parametrize(("field", "limit"), [("name", 300), ("owner", 300), ("platform", 50)])
def test_a_registry_entry_longer_than_the_database_holds_is_refused_by_entry(engine, desk, field: str,
                                                                            limit: int) -> None:  # fmt: skip
    # The registry's checks let it through and PostgreSQL refused it at the commit of the import, with a
    # traceback on the page; SQLite stored it whole.
    app = signed_in("admin", "administration")
    entry = _good(**{field: "N" * (limit + 1)})
    app.file_uploader(key="registry-upload").set_value(("reg.yaml", _yaml([entry]), "application/yaml")).run()
    assert not app.exception, app.exception
    check = app.dataframe[0].value["Check"].tolist()[0]
    assert f"field '{field}': at most {limit} characters (this one has {limit + 1})" in check
    assert "registry-import" not in [b.key for b in app.button], "nothing to import while an entry is wrong"
    app.file_uploader(key="registry-upload").set_value(
        ("reg.yaml", _yaml([_good(**{field: "N" * limit})]), "application/yaml")
    ).run()
    app.button(key="registry-import").click().run()
    assert not app.exception, app.exception
    assert "fb" in {a.id for a in list_accounts(engine)}


def test_an_organisation_name_longer_than_the_database_holds_is_refused(engine, desk) -> None:
    check = accounts.check_registry(_yaml([_good()], organisation="O" * 201))
    assert check.registry is None
    assert check.problems == ["field 'organisation': at most 200 characters (this one has 201)"]


def test_the_registry_itself_refuses_a_text_too_long_for_the_database(engine, desk) -> None:
    # The one check every way in shares (the page, `accounts import`, the edit form): registry.parse.
    from sources import registry

    with pytest.raises(registry.RegistryError, match="at most 300 characters"):
        registry.parse(yaml.safe_load(_yaml([_good(name="N" * 301)])), source="x")
    with pytest.raises(registry.RegistryError, match="field 'owner': at most 300 characters"):
        accounts.edit_account(engine, "web", {"owner": "O" * 301}, by="admin")
    assert "fb" not in {a.id for a in list_accounts(engine)}


def test_saving_an_account_keeps_what_another_admin_changed_meanwhile(engine, desk) -> None:
    # The form sent every field as it was drawn: a name changed here put back the administrators another
    # administrator had added since the page was opened (a lost update, and the R12 warning back).
    app = signed_in("admin", "administration")
    app.selectbox(key="edit-account").set_value("web").run()
    accounts.edit_account(engine, "web", {"administrators": ["one@x", "two@x"], "languages": ["sv"]}, by="admin")
    app.text_input(key="acct-name-web").input("Kommunens webb")
    next(b for b in app.button if b.label == "Save the account").click().run()
    assert not app.exception, app.exception
    web = next(a for a in list_accounts(engine) if a.id == "web")
    assert (web.name, web.administrators, web.languages) == ("Kommunens webb", ["one@x", "two@x"], ["sv"])
    app.text_area(key="acct-admins-web").input("one@x")
    next(b for b in app.button if b.label == "Save the account").click().run()
    web = next(a for a in list_accounts(engine) if a.id == "web")
    assert (web.name, web.administrators) == ("Kommunens webb", ["one@x"]), "what the person changes is saved"
