"""Partner warning systems (issue 14, items 1, 2, 5): every real sample parsed, field by field on at least
one per system; Update and Cancel chains; the test and exercise traps; malformed JSON as a clear error.

The samples are in tests/fixtures/partners/ (PROVENANCE.md there); two without a licence are read from
../shared/ and skipped where it is absent.
"""

from __future__ import annotations

import ast
import gzip
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sources import boundedjson, partners
from sources.entries import FeedError, ParsedFeed
from sources.parse import parse_feed
from sources.partners import parse_partner
from sources.partnerstate import PartnerWarning, in_area, state_of
from tests.conftest import shared_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "partners"
FETCHED = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def sample(name: str) -> bytes:
    path = FIXTURES / name
    if path.exists():
        return path.read_bytes()
    return gzip.decompress((FIXTURES / f"{name}.gz").read_bytes())


def parse(platform: str, name: str, **kwargs: Any) -> ParsedFeed:
    return parse_partner(platform, sample(name), fetched_at=FETCHED, **kwargs)


def warnings_of(parsed: ParsedFeed) -> list[dict[str, Any]]:
    return [entry.extra["warning"] for entry in parsed.entries]


def as_partner(parsed: ParsedFeed, *, listed: bool = True) -> list[PartnerWarning]:
    return [
        PartnerWarning(i, "partner", "Partner", FETCHED, FETCHED, 1, entry.extra["warning"], listed)
        for i, entry in enumerate(parsed.entries, start=1)
    ]


def krisinformation_items() -> list[dict[str, Any]]:
    """The real 2023 response, a Python literal inside a client's test module (see PROVENANCE.md)."""
    tree = ast.parse(sample("krisinformation_v3_news_realdata_embedded_in_test_krisinformation_lib.py.txt").decode())
    lists = [n.value for n in ast.walk(tree) if isinstance(n, ast.Return) and isinstance(n.value, ast.List)]
    return ast.literal_eval(lists[0])


# --- NINA ----------------------------------------------------------------------------------------------


def test_nina_dashboard_field_by_field() -> None:
    parsed = parse("nina", "nina_api31_dashboard_seevee_bbk_dashboard.json")
    [entry] = parsed.entries
    w = entry.extra["warning"]
    assert entry.guid == "dwd.2.49.0.0.276.0.DWD.PVW.1789837260000.f831dd90-b825-45e6-b453-68d2579831c5.MUL"
    assert entry.title == w["headline"] == "Amtliche WARNUNG vor STURMBÖEN"
    assert w["texts"]["en"]["headline"] == "Official WARNING of GALE-FORCE GUSTS"
    assert (w["severity"], w["urgency"], w["msg_type"], w["sender_name"]) == ("Moderate", "Immediate", "Alert", "DWD")
    assert w["sent"] == "2026-09-19T17:00:24+00:00"
    assert (w["onset"], w["expires"]) == ("2026-09-20T10:00:00+00:00", "2026-09-20T18:00:00+00:00")
    assert w["effective"] == "2026-09-19T17:01:00+00:00"
    assert (w["version"], w["category"], w["language"], w["platform"]) == (20, "actual", "de", "nina")
    assert entry.published == datetime(2026, 9, 19, 17, 0, 24, tzinfo=UTC)


def test_nina_older_dashboard_and_map_data() -> None:
    older = warnings_of(parse("nina", "nina_api31_dashboard_homeassistant_sample_warnings.json"))
    assert [w["identifier"] for w in older] == [
        "mow.DE-BW-S-SE018-20211102-18-001",
        "mow.DE-NW-BN-SE030-20201014-30-000",
    ]
    assert older[0]["event"] == "BBK-EVC-040" and older[0]["msg_type"] == "Update"
    assert older[1]["expires"] is None  # the fixture's edited year 3021 is no usable time, not a crash
    mowas = warnings_of(parse("nina", "nina_api31_mapData_mowas_seevee.json"))
    assert [w["msg_type"] for w in mowas] == ["Update", "Update", "Alert"]
    assert mowas[2]["headline"] == "Starke Rauchentwicklung - Hafetoftloit" and mowas[2]["version"] == 20
    dwd = warnings_of(parse("nina", "nina_api31_mapData_dwd_seevee.json"))
    assert len(dwd) == 2 and all(w["expires"] for w in dwd)


def test_nina_cancel_details_and_geojson_complete_the_dashboard_entry() -> None:
    warning_id = "mow.DE-SL-SB-SE035-20260920-35-001"
    dashboard = json.dumps([{"id": warning_id, "payload": {"version": 2, "data": {"headline": "dashboard headline",
                                                                                   "msgType": "Cancel"}}}]).encode()  # fmt: skip
    details = {f"json:{warning_id}": sample("nina_api31_warning_mowas_cancel_seevee.json"),
               f"geojson:{warning_id}": sample("nina_api31_warning_mowas_cancel_seevee.geojson")}  # fmt: skip
    [entry] = parse_partner("nina", dashboard, fetched_at=FETCHED, details=details).entries
    w = entry.extra["warning"]
    assert (w["identifier"], w["sender"], w["status"], w["msg_type"], w["scope"]) == (
        warning_id, "DE-SL-SB-SE035", "Actual", "Cancel", "Public")  # fmt: skip
    assert w["references"] == ["mow.DE-SL-SB-SE035-20260920-35-000"]
    assert w["headline"] == "Entwarnung: Stromabschaltung - Siersburg"
    assert w["description"].startswith('Dies ist die Entwarnung zur Warnung "Stromabschaltung - Siersburg"')
    assert "\n- An der Windmühle\n" in w["description"]  # <br/> became line breaks, &quot; a quote
    assert w["instruction"] == ("Informieren Sie sich, zum Beispiel im Radio.\nReduzieren Sie Ihren Stromverbrauch "
                                "über Akkus und Batterien auf das Nötigste.")  # fmt: skip
    assert (w["severity"], w["urgency"], w["certainty"], w["event"]) == ("Minor", "Immediate", "Observed",
                                                                         "Gefahreninformation")  # fmt: skip
    assert w["sender_name"] == "Integrierte Leitstelle Saarland"  # from the sender_langname parameter
    assert w["expires"] == "2026-09-20T21:50:56+00:00" and w["language"] == "de" and w["version"] == 2
    assert set(w["texts"]) == {"de", "en"} and w["texts"]["en"]["headline"] == "Power outage"
    assert w["areas"][0]["desc"] == "Siersburg"
    [ring] = w["areas"][0]["polygons"]
    assert len(ring) > 3 and all(49 < lat < 50 and 6 < lon < 7 for lat, lon in ring)  # GeoJSON lon,lat turned
    assert entry.title == w["headline"] and entry.author == "Integrierte Leitstelle Saarland"


def test_nina_missing_or_broken_detail_leaves_the_dashboard_headline_and_says_so() -> None:
    warning_id = "mow.X-1"
    dashboard = json.dumps([{"id": warning_id, "payload": {"data": {"headline": "Hochwasser"}}}]).encode()
    parsed = parse_partner("nina", dashboard, fetched_at=FETCHED, details={f"json:{warning_id}": b"{oops"})
    assert parsed.entries[0].title == "Hochwasser"
    assert "details of mow.X-1" in parsed.notes[0] and "malformed JSON" in parsed.notes[0]


def test_nina_dwd_map_geojson() -> None:
    polygons = partners.warnings.geojson_polygons(json.loads(sample("nina_api31_warning_dwdmap_seevee.geojson")))
    assert len(polygons) == 1 and polygons[0][0] == [51.8108, 10.5738]


def test_nina_detail_urls_stay_on_the_dashboards_host() -> None:
    url = partners.nina_detail_url("https://warnung.bund.de/api31/dashboard/091620000000.json", "mow.DE-1")
    assert url == "https://warnung.bund.de/api31/warnings/mow.DE-1.json"
    assert partners.nina_ids(b'[{"id": "../../etc"}, {"id": "a/b"}, {"id": "dwd.1"}]') == ["dwd.1"]


@pytest.mark.parametrize(
    ("name", "msg_type", "references"),
    [
        ("nina_api31_warning_biw.BIWAPP-90480.json", "Update", 1),
        ("nina_api31_warning_mow.DE-BR-B-SE017-20250909-17-001.json", "Update", 1),
    ],
)
def test_nina_unlicensed_real_details_from_shared(name: str, msg_type: str, references: int) -> None:
    body = shared_path("corpora", "feeds", "national", "germany", name).read_bytes()
    alert = json.loads(body)
    warning = partners.warnings.from_cap(alert, "nina")
    assert warning is not None
    assert warning["identifier"] == alert["identifier"] and warning["msg_type"] == msg_type
    assert len(warning["references"]) >= references
    assert warning["headline"] and warning["language"] == "de" and warning["category"] == "actual"
    if "mow." in name:
        assert len(warning["texts"]) == 9  # DE, DE-LS, EN, AR, ES, FR, PL, RU, TR


# --- Alertswiss ----------------------------------------------------------------------------------------


def test_alertswiss_public_field_by_field_and_the_test_trap() -> None:
    parsed = parse("alertswiss", "alertswiss_poatest_v2_alerts_scope-public.json")
    found = warnings_of(parsed)
    assert len(found) == 17 and parsed.notes == []
    w = found[0]
    assert (w["identifier"], w["sender"], w["sent"]) == ("POA-898837034-1", "info@alertswiss.ch",
                                                         "2023-07-04T08:13:44+00:00")  # fmt: skip
    assert (w["status"], w["msg_type"], w["scope"]) == ("Actual", "Alert", "Public")
    assert w["headline"] == "***TEST*** CR227" and w["event"] == "Sturm" and w["sender_name"] == "Kanton Bern"
    assert w["description"].startswith("***TEST*** Es wird nass & kalt")
    assert w["instruction"] == "Befolgen Sie die Anweisungen der Notfalldienste und Behörden."
    assert (w["severity"], w["urgency"], w["certainty"], w["language"]) == ("Moderate", "Unknown", "Unknown", "de")
    area = w["areas"][0]
    assert area["desc"] == "Kt BE ohne Stadt BE" and ["CANTON", "BE"] in area["geocodes"]
    assert area["polygons"][0][0] == [46.81737, 7.46454] and area["circles"]
    # The trap: status Actual, but ***TEST***: never a real warning. And a System banner, a Test heartbeat.
    assert {w["category"] for w in found} == {"test", "system"}
    assert [w["category"] for w in found if w["status"] == "System"] == ["system"]
    assert state_of(as_partner(parsed), FETCHED).active == []
    assert len(state_of(as_partner(parsed), FETCHED).tests) == 17


def test_alertswiss_update_chain() -> None:
    found = {
        w["identifier"]: w for w in warnings_of(parse("alertswiss", "alertswiss_poatest_v2_alerts_scope-public.json"))
    }
    jan = next(w for w in found.values() if w["headline"] == "***TEST*** Test Jan AlertSwiss")
    assert jan["msg_type"] == "Update"
    assert sorted(jan["references"]) == [f"POA-923756691-{n}" for n in range(1, 6)]


def test_alertswiss_restricted_scope_is_all_exercise() -> None:
    found = warnings_of(parse("alertswiss", "alertswiss_poatest_v2_alerts_scope-restricted.json"))
    assert len(found) == 21
    kinds = [(w["status"], w["scope"], w["category"]) for w in found]
    assert kinds.count(("Exercise", "Restricted", "exercise")) >= 18
    assert {category for _, _, category in kinds} == {"exercise", "test", "system"}  # never "actual"


# --- Krisinformation -----------------------------------------------------------------------------------


def test_krisinformation_real_news_field_by_field() -> None:
    parsed = parse_partner("krisinformation", json.dumps(krisinformation_items()).encode(), fetched_at=FETCHED)
    assert [e.guid for e in parsed.entries] == ["18478", "18435", "18434"]
    entry = parsed.entries[0]
    w = entry.extra["warning"]
    assert w["headline"] == entry.title == "Orange varning för vind och snöfall"
    assert w["description"].startswith("🔶 SMHI har utfärdat en orange varning för vind och snöfall")
    assert "\xa0" not in w["description"] and "&nbsp;" not in w["description"]
    assert "gäller från den 7 mars kl. 06.00 till den 8 mars kl. 12.00." in w["description"]
    assert (w["sent"], w["effective"]) == ("2023-03-06T11:04:12+00:00", "2023-03-07T11:55:43+00:00")
    assert (w["language"], w["sender_name"], w["event"], w["category"]) == ("sv", "SMHI", "News", "actual")
    assert w["web"] == "https://www.krisinformation.se/nyheter/2023/mars/orange-varning-for-vind-och-snofall/"
    assert w["areas"] == [{"desc": "Sverige", "geocodes": [["Type", "Country"]], "polygons": [],
                           "circles": [[62.8114849680804, 16.596265846848, 0.0]]}]  # fmt: skip
    assert in_area(w, ["Skåne län"])  # a country-wide message concerns every county


def test_krisinformation_new_shape_and_vma_api() -> None:
    news = warnings_of(parse("krisinformation", "krisinformation_v3_news_shape_fixture_Nicxe.json"))
    assert [w["identifier"] for w in news] == ["news-older", "news-newer"]
    assert news[1]["headline"] == "Nyare & viktig nyhet" and news[0]["areas"][0]["desc"] == "Stockholms län"
    assert not in_area(news[0], ["Skåne län"]) and in_area(news[0], ["stockholms län"])
    marked = json.loads(sample("krisinformation_v3_news_shape_fixture_Nicxe.json"))
    marked[0]["IsTest"] = True
    test = warnings_of(parse_partner("krisinformation", json.dumps(marked).encode(), fetched_at=FETCHED))
    assert test[0]["category"] == "test"
    [vma] = warnings_of(parse("krisinformation", "sr_vmaapi_v3_alerts_shape_fixture_Nicxe.json"))
    assert (vma["identifier"], vma["severity"], vma["language"]) == ("alert-001", "Severe", "sv")
    assert vma["areas"][0]["geocodes"] == [["NUTS3", "SE110"]] and "en" in {k[:2] for k in vma["texts"]}


# --- MeteoAlarm and CAP --------------------------------------------------------------------------------


def test_meteoalarm_json_field_by_field_with_update_and_test() -> None:
    found = warnings_of(parse("meteoalarm", "meteoalarm_api_v1_feeds-germany.json"))
    assert len(found) == 4
    w = found[0]
    assert w["identifier"] == "2.49.0.0.276.0.DWD.PVW.1776668100000.cdf81e0a-b6f1-45c3-808e-9d729efb2aa0.MUL"
    assert (w["sender"], w["status"], w["msg_type"], w["event"]) == ("opendata@dwd.de", "Actual", "Alert", "STURMBÖEN")
    assert w["headline"] == "Amtliche WARNUNG vor STURMBÖEN" and w["sender_name"] == "Deutscher Wetterdienst"
    assert w["instruction"].startswith("Gefahr durch: einzelne herabstürzende Äste")
    assert (w["onset"], w["expires"]) == ("2026-04-20T07:00:00+00:00", "2026-04-20T16:00:00+00:00")
    assert w["areas"][0]["desc"] == "Erzgebirgskreis"
    assert w["areas"][0]["geocodes"] == [["EMMA_ID", "DE343"], ["WARNCELLID", "114521000"]]
    assert in_area(w, ["DE343"]) and in_area(w, ["erzgebirgskreis"]) and not in_area(w, ["DE300"])
    assert found[2]["msg_type"] == "Update"
    assert found[2]["references"] == ["2.49.0.0.276.0.DWD.PVW.1776673620000.e839a672-1b60-44ae-bfe5-a53f369c1e98.MUL"]
    assert (found[3]["identifier"], found[3]["category"]) == ("TEST-IDENTIFIER-XYZ", "test")


def test_meteoalarm_atom_index_one_warning_per_alert_with_all_its_areas() -> None:
    parsed = parse("meteoalarm", "meteoalarm-legacy-atom-germany.xml")
    found = warnings_of(parsed)
    assert len(found) == 21  # 381 entries: one per area of 21 alerts
    w = found[0]
    assert w["identifier"] == "2.49.0.0.276.0.DWD.PVW.1682687220000.d1f3b4a5-a08f-4aff-8b75-0eb0db926a73.MUL"
    assert (w["msg_type"], w["status"], w["severity"], w["urgency"]) == ("Update", "Actual", "Moderate", "Immediate")
    assert w["expires"] == "2023-04-28T14:00:00+00:00"
    assert {"desc": "Kreis Vulkaneifel", "geocodes": [["EMMA_ID", "DE356"]], "polygons": [], "circles": []} in w[
        "areas"
    ]
    assert len(w["areas"]) > 1


def test_meteoalarm_cap_detail() -> None:
    [w] = warnings_of(parse("meteoalarm", "meteoalarm_cap12_detail_france.xml"))
    assert (w["msg_type"], w["headline"], w["language"]) == ("Update", "Vigilance jaune avalanches", "fr")
    assert w["references"] == ["2.49.0.0.250.0.FR.20221206160108.315028"]


def test_dwd_cap_zip_and_member_with_update_chain() -> None:
    zipped = parse("cap", "dwd_Z_CAP_C_EDZW_LATEST_PVW_STATUS_PREMIUMDWD_COMMUNEUNION_MUL.zip")
    assert len(zipped.entries) == 3 and zipped.format == "cap-zip"
    [w] = warnings_of(
        parse("cap", "dwd_cap12_2.49.0.0.276.0.DWD.PVW.1687511640000.0d1a4fb5-251a-46fc-aae3-a688d2021e71.MUL.xml")
    )
    assert (w["msg_type"], w["event"], w["sender_name"]) == ("Update", "STARKREGEN", "Deutscher Wetterdienst")
    assert w["references"] and set(w["texts"]) == {"de-DE", "en", "ar", "es", "fr", "pl", "ru", "tr"}
    assert w["identifier"] in {e.guid for e in zipped.entries}


def test_generic_cap_samples() -> None:
    [canada] = warnings_of(parse("cap", "google_cap-library_cap12_canada_ec_allclear_update.cap"))
    assert canada["msg_type"] == "Update" and len(canada["references"]) == 2
    nws = warnings_of(parse("cap", "google_cap-library_nws_cap11_atom_index_weather_index.atom"))
    assert len(nws) == 2 and nws[0]["areas"][0]["desc"].startswith("Middlesex")
    [quake] = warnings_of(parse("cap", "google_cap-library_atom_with_embedded_cap_earthquake.atom"))
    assert quake["headline"] == "EQ 3.4 Imperial County CA - PRELIMINARY REPORT"
    hub = parse("cap", "ifrc_alert_hub_unfiltered_rss_2016-08-09.xml")
    assert len(hub.entries) == partners.MAX_WARNINGS and any("cap" in note for note in hub.notes)


def test_website_feeds_json_feed_and_wordpress_rss() -> None:
    one = parse_feed(sample("jsonfeed_1.0_jsonfeed.org_feed-rs.json"), fetched_at=FETCHED)
    assert one.format == "json10" and one.title == "JSON Feed"
    [entry] = one.entries
    assert entry.guid == entry.link == "https://jsonfeed.org/2017/05/17/announcing_json_feed"
    assert entry.title == "Announcing JSON Feed" and entry.published == datetime(2017, 5, 17, 15, 2, 12, tzinfo=UTC)
    assert entry.author == "Brent Simmons and Manton Reece" and entry.text.startswith("We — Manton Reece")
    eleven = parse_feed(sample("jsonfeed_1.1_influxdata_wordpress_feed-rs.json"), fetched_at=FETCHED)
    assert eleven.format == "json11" and len(eleven.entries) == 3
    first = eleven.entries[0]
    assert first.published == datetime(2019, 5, 31, 19, 17, 58, tzinfo=UTC)  # RFC 822, a WordPress quirk
    assert first.published_source == "published" and first.language == "en"
    rss = parse_feed(sample("wordpress_5.1.1_rss2_georss_earthquakenewstoday_feed-rs.xml"), fetched_at=FETCHED)
    assert rss.format == "rss20" and rss.entries


# --- chains, expiry, listing ---------------------------------------------------------------------------


def _cap(identifier: str, msg_type: str = "Alert", refs: str = "", status: str = "Actual",
         expires: str = "2026-12-02T20:00:00+01:00", sent: str = "2026-12-02T08:00:00+01:00") -> bytes:  # fmt: skip
    references = f"<references>{refs}</references>" if refs else ""
    return (f'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>{identifier}</identifier>'
            f"<sender>s</sender><sent>{sent}</sent><status>{status}</status><msgType>{msg_type}</msgType>"
            f"<scope>Public</scope>{references}<info><language>de-DE</language><event>Gas</event>"
            f"<urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>"
            f"<expires>{expires}</expires><headline>Gasaustritt {identifier}</headline>"
            f"<instruction>Halten Sie Fenster und Türen geschlossen.</instruction>"
            f"<area><areaDesc>Musterstadt</areaDesc><circle>52.5,13.4 2</circle></area></info></alert>").encode()  # fmt: skip


def _zip(*docs: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i, doc in enumerate(docs):
            archive.writestr(f"{i}.xml", doc)
    return buffer.getvalue()


def test_update_replaces_and_cancel_ends_what_they_reference() -> None:
    at = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    first = _cap("A1")
    update = _cap("A2", "Update", "s,A1,2026-12-02T08:00:00+01:00", sent="2026-12-02T08:30:00+01:00")
    other = _cap("B1")
    state = state_of(as_partner(parse_partner("cap", _zip(first, update, other), fetched_at=at)), at)
    assert [w.identifier for w in state.active] == ["B1", "A2"] or {w.identifier for w in state.active} == {"A2", "B1"}
    assert state.ended["A1"] == "updated by A2"
    cancel = _cap("A3", "Cancel", "s,A2,2026-12-02T08:30:00+01:00", sent="2026-12-02T08:45:00+01:00")
    state = state_of(as_partner(parse_partner("cap", _zip(first, update, other, cancel), fetched_at=at)), at)
    assert [w.identifier for w in state.active] == ["B1"]
    assert state.ended["A2"] == "cancelled by A3" and "A3" in state.ended  # the all-clear is no warning itself


def test_expired_and_unlisted_leave_and_tests_stay_apart() -> None:
    at = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    docs = _zip(
        _cap("OLD", expires="2026-12-02T09:30:00+01:00"), _cap("T1", status="Test"), _cap("X1", status="Exercise")
    )
    state = state_of(as_partner(parse_partner("cap", docs, fetched_at=at)), at)
    assert state.active == [] and state.ended["OLD"] == "expired"
    assert sorted(w.identifier for w in state.tests) == ["T1", "X1"]
    state = state_of(as_partner(parse_partner("cap", _zip(_cap("GONE")), fetched_at=at), listed=False), at)
    assert state.active == [] and state.ended["GONE"] == "no longer listed by its feed"
    assert (
        state_of(as_partner(parse_partner("cap", _zip(_cap("GONE")), fetched_at=at)), at + timedelta(days=1)).active
        == []
    )


def test_area_filter_codes_and_names() -> None:
    warning = {
        "areas": [{"desc": "Stadt München", "geocodes": [["ARS", "091620000000"]], "polygons": [], "circles": []}]
    }
    assert in_area(warning, ["09162"]) and in_area(warning, ["091620000000"]) and in_area(warning, ["münchen"])
    assert not in_area(warning, ["09163"]) and in_area(warning, []) and in_area({"areas": []}, ["BE"])


def _area(desc: str | None = None, *codes: str, polygon: bool = False) -> dict[str, Any]:
    return {"areas": [{"desc": desc, "geocodes": [["ARS", c] for c in codes],
                       "polygons": [[[48.1, 11.5], [48.1, 11.6], [48.2, 11.6]]] if polygon else [], "circles": []}]}  # fmt: skip


def test_area_filter_compares_ars_by_level_and_names_as_whole_words() -> None:
    # ARS levels (Land 2, Regierungsbezirk 3, Kreis 5, Gemeindeverband 9, Gemeinde 12), not stripped zeros.
    assert not in_area(_area(None, "120640000000"), ["100000000000"])  # Brandenburg is not Saarland
    assert not in_area(_area(None, "053740000000"), ["05370"])  # a neighbouring Kreis
    assert not in_area(_area(None, "05374"), ["053700000000"])
    assert in_area(_area(None, "100000000000"), ["100420000000"])  # a Land-wide warning concerns its Kreis
    assert in_area(_area(None, "091620000000"), ["09"]) and in_area(_area(None, "091625555000"), ["09162"])
    # Names are whole words; a short code is a code, never a piece of a place name.
    assert not in_area(_area("Bellinzona"), ["BE"]) and not in_area(_area("Bernkastel-Kues"), ["bern"])
    assert in_area(_area("Kanton Bern"), ["bern"]) and in_area(_area("Bern, Thun"), ["Bern"])
    assert in_area({"areas": [{"desc": "Kanton Bern", "geocodes": [["CANTON", "BE"]]}]}, ["BE"])
    assert not in_area(_area("Stadt Bad Tölz"), ["tölz-wolfratshausen"])
    # A warning given only as a polygon cannot be placed by name: it is kept.
    assert in_area(_area(None, polygon=True), ["09162"]) and in_area(_area(None, polygon=True), ["Bern"])


def _pw(post_id: int, identifier: str, *, account: str = "p1", msg_type: str = "Alert", refs: tuple[str, ...] = (),
        category: str = "actual", sender: str | None = "s", ars: str = "091620000000",
        sent: str = "2026-12-02T08:00:00+00:00") -> PartnerWarning:  # fmt: skip
    warning = {"identifier": identifier, "sender": sender, "sent": sent, "msg_type": msg_type,
               "references": list(refs), "category": category, "expires": None, **_area(None, ars)}  # fmt: skip
    return PartnerWarning(post_id, account, account, FETCHED, FETCHED, 1, warning, True, ("09162",))


def test_only_a_real_message_of_the_same_account_and_sender_ends_a_warning() -> None:
    at = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    real = _pw(1, "A1")
    later = "2026-12-02T08:30:00+00:00"
    for intruder in (
        _pw(2, "T1", msg_type="Cancel", refs=("A1",), category="test", sent=later),  # a test all-clear
        _pw(2, "X1", msg_type="Cancel", refs=("A1",), category="exercise", sent=later),
        _pw(2, "B1", msg_type="Cancel", refs=("A1",), account="p2", sent=later),  # another account's
        _pw(2, "C1", msg_type="Cancel", refs=("A1",), sender="someone-else", sent=later),  # another sender's
    ):
        state = state_of([real, intruder], at)
        assert [w.identifier for w in state.active] == ["A1"], intruder.identifier
    state = state_of([real, _pw(2, "C2", msg_type="Cancel", refs=("A1",), sent=later)], at)
    assert state.active == [] and state.ended["A1"] == "cancelled by C2"


def test_an_update_moving_a_warning_out_of_the_area_ends_the_original() -> None:
    at = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    moved = _pw(2, "A2", msg_type="Update", refs=("A1",), ars="110000000000", sent="2026-12-02T08:30:00+00:00")
    state = state_of([_pw(1, "A1"), moved], at)
    assert state.active == [] and state.ended["A1"] == "updated by A2"


# --- malformed input: a clear health record, never a traceback -----------------------------------------


@pytest.mark.parametrize(
    ("platform", "body", "says"),
    [
        ("nina", b"[" * 100 + b"]" * 100, "nested 100 levels deep"),
        ("nina", b'{"a": 1}', "expected a JSON array"),
        ("alertswiss", b'{"body": {"alerts": 5}}', "no list of alerts"),
        ("krisinformation", b"[1, 2", "malformed JSON"),
        ("krisinformation", b"\xff\xfe[]", "not UTF-8"),
        ("meteoalarm", b'{"warnings": [NaN]}', "NaN"),
        ("cap", b"PK\x03\x04broken", "zip of CAP documents cannot be read"),
        ("nina", b"   ", "empty response body"),
    ],
)
def test_malformed_documents_are_a_clear_error(platform: str, body: bytes, says: str) -> None:
    with pytest.raises(FeedError, match=says):
        parse_partner(platform, body, fetched_at=FETCHED)


def test_json_size_bound_and_items_without_id_are_named() -> None:
    with pytest.raises(FeedError, match="exceeds the 10-byte cap"):
        boundedjson.loads(b"[" + b" " * 20 + b"]", max_bytes=10)
    parsed = parse_partner("krisinformation", b'[{"Headline": "x", "Unknown": {"deep": [1]}}, {"Identifier": "7"}]',
                           fetched_at=FETCHED)  # fmt: skip
    assert [e.guid for e in parsed.entries] == ["7"] and parsed.notes == ["item [0]: no identifier; skipped"]
    alertswiss = parse_partner("alertswiss", json.dumps({"body": {"alerts": [{"alert": "<alert>"}]}}).encode(),
                               fetched_at=FETCHED)  # fmt: skip
    assert alertswiss.entries == [] and "alert [0]" in alertswiss.notes[0]


# --- any JSON at all: a warning, a note or a FeedError, never another exception ------------------------

_KEYS = [
    "id", "payload", "data", "headline", "version", "i18nTitle", "de", "en", "sent", "expires", "onset", "msgType",
    "severity", "transKeys", "event", "identifier", "info", "language", "area", "areaDesc", "polygon", "circle",
    "geocode", "valueName", "value", "parameter", "references", "status", "body", "alerts", "alert", "warnings",
    "Identifier", "Headline", "BodyText", "Preamble", "Area", "CoordinateObject", "Latitude", "Longitude",
    "Published", "IsTest", "Description", "Type", "features", "geometry", "coordinates", "type", "items",
    "date_published", "content_html", "authors", "name", "url", "title",
]  # fmt: skip


# Integers json.dumps cannot write (over Python's 4300-digit limit) or float() cannot hold (400 digits):
# written as these strings, then spliced into the document's text as bare numbers.
_HUGE = {'"HUGE-5000"': "9" * 5000, '"HUGE-400"': "1" * 400, '"HUGE-NEG-400"': "-" + "7" * 400, '"HUGE-EXP"': "1e400"}


def _dumps(value: Any) -> bytes:
    text = json.dumps(value)
    for marker, digits in _HUGE.items():
        text = text.replace(marker, digits)
    return text.encode()


def _json_values() -> Any:
    from hypothesis import strategies as st

    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=30)
        | st.sampled_from([m.strip('"') for m in _HUGE])
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(_KEYS), inner, max_size=6),
        max_leaves=40,
    )


def _geojson_values() -> Any:
    """NINA's GeoJSON details with coordinates of every kind, huge integers among them; or any JSON."""
    from hypothesis import strategies as st

    coordinate = (
        st.floats(allow_nan=False, allow_infinity=False)
        | st.integers()
        | st.sampled_from([m.strip('"') for m in _HUGE])
        | st.none()
    )
    ring = st.lists(st.lists(coordinate, min_size=2, max_size=3), min_size=3, max_size=6)
    polygon = st.lists(ring, min_size=1, max_size=2)
    geometry = st.one_of(
        st.fixed_dictionaries({"type": st.just("Polygon"), "coordinates": polygon}),
        st.fixed_dictionaries({"type": st.just("MultiPolygon"), "coordinates": st.lists(polygon, max_size=2)}),
    )
    feature = st.fixed_dictionaries({"type": st.just("Feature"), "geometry": geometry})
    collection = st.fixed_dictionaries(
        {"type": st.just("FeatureCollection"), "features": st.lists(feature, min_size=1, max_size=3)}
    )
    return collection | _json_values()


def test_huge_numbers_are_a_feed_error_or_left_out_never_another_exception() -> None:
    dashboard = json.dumps([{"id": "mow.1", "payload": {"version": "HUGE-5000"}}])
    for marker in _HUGE:
        with pytest.raises(FeedError, match="NINA dashboard: JSON holds"):
            parse_partner("nina", dashboard.replace('"HUGE-5000"', _HUGE[marker]).encode(), fetched_at=FETCHED)
    assert partners.nina_ids(dashboard.replace('"HUGE-5000"', "9" * 5000).encode()) == []
    listed = json.dumps([{"id": "mow.1", "payload": {"version": 1, "data": {"headline": "Hochwasser"}}}]).encode()
    shape = _dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Polygon",
                    "coordinates": [[["HUGE-400", 48.1], [11.6, 48.1], [11.6, 48.2], [11.5, 48.1]]]}}]})  # fmt: skip
    parsed = parse_partner("nina", listed, fetched_at=FETCHED, details={"geojson:mow.1": shape})
    assert [e.guid for e in parsed.entries] == ["mow.1"]
    assert "JSON holds a 400-digit number" in " ".join(parsed.notes)


def test_any_json_is_read_or_refused_with_a_feed_error() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=150, deadline=None, database=None)
    @given(
        st.sampled_from(["nina", "alertswiss", "krisinformation", "meteoalarm"]),
        _json_values(),
        _json_values(),
        _geojson_values(),
    )
    def check(platform: str, document: Any, detail: Any, shape: Any) -> None:
        body = _dumps(document)
        details = {f"json:{i}": _dumps(detail) for i in partners.nina_ids(body)}
        details.update({f"geojson:{i}": _dumps(shape) for i in partners.nina_ids(body)})
        try:
            parsed = parse_partner(platform, body, fetched_at=FETCHED, details=details)
        except FeedError:
            return
        for entry in parsed.entries:
            assert entry.extra["warning"]["identifier"] and isinstance(entry.title, str)
        feed = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": document}).encode()
        try:
            for entry in parse_feed(feed, fetched_at=FETCHED).entries:
                assert entry.guid and entry.published.tzinfo is not None
        except FeedError:
            pass

    check()
