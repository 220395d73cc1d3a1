"""Administration (issue 13): the account registry imported from a file checked entry by entry, one account
edited, the R12 administrators warning, and retention as a dry run before it is applied."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.guard import page
from dashboard.render import escape_md, plain_error
from dashboard.state import Viewer, get_engine, touch
from playbooks.review import retention
from playbooks.workflow import accounts
from playbooks.workflow.roles import PermissionDenied
from sources import registry
from sources.models import ACCOUNT_KINDS

CHECKED_KEY = "admin-checked"
DRY_RUN_KEY = "admin-dry-run"
NOTE_KEY = "admin-note"  # (kind, text, details) shown after the rerun, until dismissed
DRAWN_KEY = "admin-edit-drawn"  # account id → the values its form showed when first drawn


@page("accounts.import")
def render(viewer: Viewer) -> None:
    st.title(viewer.t("Administration"))
    if note := st.session_state.get(NOTE_KEY):
        kind, text, details = note
        (st.success if kind == "ok" else st.error)(escape_md(text))
        if details:
            st.markdown("\n".join(f"- {escape_md(d)}" for d in details))
        st.button(viewer.t("Dismiss this message"), key="admin-note-ok", on_click=st.session_state.pop,
                  args=(NOTE_KEY, None))  # fmt: skip
    current = registry.list_accounts(get_engine())
    st.subheader(viewer.t("Account registry"))
    st.caption(f"{len(current)} {viewer.t('accounts')}")
    for warning in registry.warnings_for(current):
        st.warning(escape_md(_r12(viewer, warning)))
    _import(viewer)
    if current:
        _edit(viewer, current)
    _retention(viewer)


def _r12(viewer: Viewer, warning: str) -> str:
    """R12 in the person's words: which account has too few administrators."""
    account = warning.split("'")[1] if warning.count("'") >= 2 else warning
    return f"{account}: {viewer.t('an official account needs at least two administrators (R12)')}"


def _note(kind: str, text: str, details: list[str] | None = None) -> None:
    st.session_state[NOTE_KEY] = (kind, text, details or [])
    st.rerun()


def _import(viewer: Viewer) -> None:
    st.markdown(f"**{escape_md(viewer.t('Import a registry file (YAML)'))}**")
    upload = st.file_uploader(viewer.t("Registry file"), type=["yaml", "yml"], key="registry-upload")
    if upload is None:
        return
    check = accounts.check_registry(upload.getvalue(), upload.name)
    for problem in check.problems:
        st.error(escape_md(problem))
    if check.entries:
        st.dataframe(
            [{"#": e.number, "id": e.id or "–", viewer.t("Name"): e.name or "–", viewer.t("Kind"): viewer.t(e.kind) if e.kind else "–",
              viewer.t("Check"): "; ".join(e.problems) if e.problems else viewer.t("OK")} for e in check.entries],
            hide_index=True, width="stretch",
        )  # fmt: skip
    for warning in check.warnings:
        st.warning(escape_md(_r12(viewer, warning)))
    wrong = sum(1 for e in check.entries if e.problems)
    if check.registry is None:
        st.error(escape_md(f"{viewer.t('Nothing was imported: correct the file and upload it again.')} "
                           f"{viewer.t('Entries with problems')}: {wrong}"))  # fmt: skip
        return
    if st.button(viewer.t("Import these accounts"), key="registry-import", type="primary"):
        touch()
        try:
            report = accounts.import_accounts(get_engine(), check.registry, by=viewer.name)
        except (PermissionDenied, registry.RegistryError) as exc:
            _note("error", plain_error(str(exc)))
            return
        _note("ok", f"{viewer.t('Imported')}: {len(report.created)} {viewer.t('new')}, {len(report.updated)} "
                    f"{viewer.t('changed')}, {len(report.unchanged)} {viewer.t('unchanged')}.")  # fmt: skip


def _edit(viewer: Viewer, current: list[Any]) -> None:
    st.markdown(f"**{escape_md(viewer.t('Edit an account'))}**")
    by_id = {a.id: a for a in current}
    chosen = st.selectbox(viewer.t("Account"), list(by_id), key="edit-account",
                          format_func=lambda i: f"{i} · {by_id[i].name}")  # fmt: skip
    account = by_id[str(chosen)]
    if f"acct-name-{account.id}" not in st.session_state:  # the form is drawn anew: what it starts from
        st.session_state.setdefault(DRAWN_KEY, {})[account.id] = _shown(account)
    with st.form(f"edit-account-{account.id}"):
        left, right = st.columns(2)
        name = left.text_input(viewer.t("Name"), value=account.name, max_chars=300, key=f"acct-name-{account.id}")
        kinds = list(ACCOUNT_KINDS)
        kind = right.selectbox(viewer.t("Kind"), kinds, index=kinds.index(account.kind) if account.kind in kinds else 0,
                               format_func=viewer.t)  # fmt: skip
        owner = left.text_input(
            viewer.t("Owner"), value=account.owner or "", max_chars=300, key=f"acct-owner-{account.id}"
        )
        admins = right.text_area(viewer.t("Administrators (one per line)"), value="\n".join(account.administrators),
                                 height=100, key=f"acct-admins-{account.id}")  # fmt: skip
        languages = left.text_input(
            viewer.t("Languages (comma-separated codes)"),
            value=", ".join(account.languages),
            key=f"acct-languages-{account.id}",
        )
        homepage = right.text_input(
            viewer.t("Homepage"), value=account.homepage or "", max_chars=2000, key=f"acct-homepage-{account.id}"
        )
        feed = left.text_input(
            viewer.t("New feed address (empty: unchanged)"), max_chars=2000, key=f"acct-feed-{account.id}"
        )
        interval = right.number_input(viewer.t("Fetch every (seconds)"), min_value=registry.MIN_INTERVAL_S,
                                      max_value=registry.MAX_INTERVAL_S, value=int(account.feed.interval_s))  # fmt: skip
        if st.form_submit_button(viewer.t("Save the account"), type="primary"):
            touch()
            # Only what the person changed in the form: the rest may have been changed by another
            # administrator since the form was drawn, and sending it as drawn would put that back.
            typed = {"name": name, "kind": kind, "owner": owner, "administrators": admins, "languages": languages,
                     "homepage": homepage, "interval": int(interval)}  # fmt: skip
            drawn = st.session_state.get(DRAWN_KEY, {}).get(account.id) or _shown(account)
            changes = {key: value for key, value in {
                "name": name.strip(), "kind": kind, "owner": owner.strip() or None,
                "administrators": [a.strip() for a in admins.splitlines() if a.strip()],
                "languages": [c.strip() for c in languages.split(",") if c.strip()],
                "homepage": homepage.strip() or None, "interval": int(interval),
            }.items() if typed[key] != drawn[key]}  # fmt: skip
            changes["feed"] = feed.strip() or None
            try:
                accounts.edit_account(get_engine(), account.id, changes, by=viewer.name)
            except registry.RegistryError as exc:
                problems = [p.split(": ", 1)[1] if p.startswith("accounts[0]") else p for p in exc.problems]
                _note("error", viewer.t("The account was not saved."), problems)
            except PermissionDenied as exc:
                _note("error", plain_error(str(exc)))
            else:
                st.session_state.get(DRAWN_KEY, {}).pop(account.id, None)  # from now on, the saved values
                _note("ok", f"{account.id}: {viewer.t('saved.')}")


def _shown(account: Any) -> dict[str, Any]:
    """An account's values as the edit form shows them."""
    return {"name": account.name, "kind": account.kind, "owner": account.owner or "",
            "administrators": "\n".join(account.administrators), "languages": ", ".join(account.languages),
            "homepage": account.homepage or "", "interval": int(account.feed.interval_s)}  # fmt: skip


def _retention(viewer: Viewer) -> None:
    """R17: what would be removed first, then, once seen, removed."""
    st.subheader(viewer.t("Retention of personal data"))
    st.caption(viewer.t("Texts, titles and authors of watched (non-official) posts older than the period are "
                        "removed, with what flags quote of them. Official records stay."))  # fmt: skip
    months = int(st.number_input(viewer.t("Keep for (months)"), min_value=1, max_value=120,
                                 value=retention.DEFAULT_MONTHS, key="retention-months"))  # fmt: skip
    if st.button(viewer.t("Dry run: show what would be removed"), key="retention-dry"):
        touch()
        try:
            st.session_state[DRY_RUN_KEY] = (months, retention.apply(get_engine(), months=months, by=viewer.name,
                                                                     dry_run=True))  # fmt: skip
        except (retention.RetentionError, PermissionDenied) as exc:
            _note("error", plain_error(str(exc)))
    seen = st.session_state.get(DRY_RUN_KEY)
    if not seen or seen[0] != months:
        st.caption(viewer.t("Apply comes after a dry run with the same period."))
        return
    report = seen[1]
    st.info(escape_md(f"{viewer.t('Posts older than')} {report.cutoff[:10]}: {report.posts} {viewer.t('posts')}, "
                      f"{report.flags} {viewer.t('flags')} {viewer.t('would be pruned.')}"))  # fmt: skip
    sure = st.checkbox(viewer.t("Yes, remove this personal data now"), key="retention-sure")
    if st.button(
        viewer.t("Apply retention"), key="retention-apply", disabled=not sure or not (report.posts or report.flags)
    ):
        touch()
        try:
            done = retention.apply(get_engine(), months=months, by=viewer.name)
        except (retention.RetentionError, PermissionDenied) as exc:
            _note("error", plain_error(str(exc)))
            return
        st.session_state.pop(DRY_RUN_KEY, None)
        _note("ok", f"{viewer.t('Removed')}: {done.posts} {viewer.t('posts')}, {done.flags} {viewer.t('flags')}.")
