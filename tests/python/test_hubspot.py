"""HubSpot as the CRM (`generate --crm hubspot`, docs/hubspot.md): the generator writes the
same company in the tables Fivetran lands for HubSpot, the loader holds them to the contract,
and the HubSpot staging accounts for every raw row the generator wrote."""

from __future__ import annotations

import csv
import hashlib
from datetime import date

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from b2bkpi.generate import generate
from b2bkpi.generator.output import ARROW_TYPES
from b2bkpi.load import load_folder
from b2bkpi.load import main as load_main
from b2bkpi.raw_contract import HUBSPOT_TABLES, tables_for
from conftest import PROJECT_DIR, run_dbt

SEED, N_LEADS, START, END = 11, 400, date(2024, 1, 1), date(2024, 12, 31)
# truth files that describe one export's raw files, not the company
EXPORT_TRUTH = {"expected_rejects.parquet", "expected_row_counts.parquet", "hubspot_ids.parquet"}


def _quiet(_message: str) -> None:
    pass


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    root = tmp_path_factory.mktemp("crm_variants")
    counts = {crm: generate(root / crm / "raw", root / crm / "truth", SEED, N_LEADS, START, END,
                            log=_quiet, crm_name=crm)
              for crm in ("salesforce", "hubspot")}
    return root, counts


def _hubspot(root, table: str) -> pd.DataFrame:
    return pq.read_table(root / "hubspot" / "raw" / "hubspot" / f"{table}.parquet").to_pandas()


def _latest(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """The newest synced version of each key (what staging keeps before deletes and rejects)."""
    return frame.sort_values("_fivetran_synced").drop_duplicates(key, keep="last")


def _seed(name: str) -> dict[str, str]:
    with open(PROJECT_DIR / "seeds" / f"{name}.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    return {row[0].lower(): row[1] for row in rows[1:]}


def _ids(root, kind: str) -> pd.Series:
    ids = pd.read_parquet(root / "hubspot" / "truth" / "hubspot_ids.parquet")
    ids = ids[ids["object"] == kind]
    return pd.Series(ids["hubspot_id"].to_numpy(), index=ids["salesforce_id"].to_numpy())


def test_hubspot_files_follow_the_contract(variants):
    root, counts = variants
    assert set(counts["hubspot"]) == {f"{t.source}/{t.name}" for t in tables_for("hubspot")}
    assert not (root / "hubspot" / "raw" / "salesforce").exists()
    for table in HUBSPOT_TABLES:
        path = root / "hubspot" / "raw" / table.source / table.file_name
        if table.file_format == "parquet":
            schema = pq.read_schema(path)
            assert {c: ARROW_TYPES[t] for c, t in table.columns.items()} == {
                c: schema.field(c).type for c in table.columns}, table.name
        else:
            with path.open(newline="", encoding="utf-8") as file:
                assert set(table.columns) <= set(next(csv.reader(file))), table.name
        assert counts["hubspot"][f"{table.source}/{table.name}"] > 0, table.name


def test_the_other_sources_are_the_same_files(variants):
    root, counts = variants
    for name, rows in counts["salesforce"].items():
        if name.startswith("salesforce/"):
            continue
        assert counts["hubspot"][name] == rows, name
        files = [next((root / crm / "raw").glob(f"{name}.*")) for crm in ("salesforce", "hubspot")]
        assert hashlib.sha256(files[0].read_bytes()).digest() == \
            hashlib.sha256(files[1].read_bytes()).digest(), name


def test_same_seed_gives_the_same_truth(variants):
    root, _ = variants
    company = sorted(p.name for p in (root / "salesforce" / "truth").glob("*.parquet")
                     if p.name not in EXPORT_TRUTH)
    assert "leads.parquet" in company and "opportunities.parquet" in company
    for name in company:
        assert (root / "salesforce" / "truth" / name).read_bytes() == \
            (root / "hubspot" / "truth" / name).read_bytes(), name


def test_lead_contacts_are_the_truths_leads(variants):
    root, _ = variants
    leads = pd.read_parquet(root / "hubspot" / "truth" / "leads.parquet")
    contact = _latest(_hubspot(root, "contact"), ["id"])
    live = contact[~contact["_fivetran_deleted"] & contact["property_createdate"].notna()
                   & contact["property_hs_lead_status"].notna()]
    expected = leads.assign(id=_ids(root, "lead").reindex(leads["lead_id"]).to_numpy())
    merged = expected.merge(live, on="id", how="outer", indicator=True)
    assert (merged["_merge"] == "both").all(), merged["_merge"].value_counts()
    assert (merged["property_email"].str.strip().str.lower() == merged["email"]).all()
    assert (merged["property_createdate"] == merged["created_at"]).all()


def test_lead_status_history_walks_the_truths_stages(variants):
    """Each status change of the truth is an hs_lead_status change at the same time, and the
    two mapping seeds give it the same lifecycle stage."""
    root, _ = variants
    salesforce_stage, hubspot_stage = _seed("lead_status_stages"), _seed("hubspot_lead_status_stages")
    events = pd.read_parquet(root / "hubspot" / "truth" / "lead_status_events.parquet")
    expected = pd.DataFrame({
        "contact_id": _ids(root, "lead").reindex(events["lead_id"]).to_numpy(),
        "changed_at": events["changed_at"].to_numpy(),
        "stage": events["status"].str.lower().map(salesforce_stage).to_numpy()})
    history = _latest(_hubspot(root, "contact_property_history"),
                      ["contact_id", "name", "timestamp"])
    contact = _latest(_hubspot(root, "contact"), ["id"]).set_index("id")
    status = history[(history["name"] == "hs_lead_status")
                     & history["contact_id"].isin(contact.index)]
    created = status["timestamp"].to_numpy() == contact["property_createdate"].reindex(
        status["contact_id"]).to_numpy()
    changes = status[~created]
    actual = pd.DataFrame({"contact_id": changes["contact_id"].to_numpy(),
                           "changed_at": changes["timestamp"].to_numpy(),
                           "stage": changes["value"].str.lower().map(hubspot_stage).to_numpy()})
    key = ["contact_id", "changed_at", "stage"]
    assert expected["stage"].notna().all() and actual["stage"].notna().all()
    pd.testing.assert_frame_equal(expected.sort_values(key, ignore_index=True),
                                  actual.sort_values(key, ignore_index=True), check_dtype=False)


def test_deals_are_the_truths_opportunities(variants):
    root, _ = variants
    opportunities = pd.read_parquet(root / "hubspot" / "truth" / "opportunities.parquet")
    deal = _latest(_hubspot(root, "deal"), ["deal_id"])
    deal = deal[~deal["is_deleted"]].set_index("deal_id")
    stage = {k: v for k, v in _seed("hubspot_deal_stage_stages").items()}
    ids = _ids(root, "opportunity").reindex(opportunities["opportunity_id"]).to_numpy()
    assert set(ids) == set(deal.index)
    rows = deal.loc[ids]
    assert (rows["property_amount"].to_numpy() == opportunities["amount"].to_numpy()).all()
    assert (rows["property_deal_currency_code"].to_numpy() == opportunities["currency"]).all()
    assert (rows["property_createdate"].to_numpy() == opportunities["created_at"].to_numpy()).all()
    outcome = rows["deal_pipeline_stage_id"].map(stage).map({"customer": "won", "lost": "lost"})
    assert (outcome.fillna("open").to_numpy() == opportunities["outcome"].fillna("open")).all()


def test_a_hubspot_folder_missing_a_column_is_refused(variants, tmp_path, capsys):
    root, _ = variants
    folder = tmp_path / "raw" / "hubspot"
    folder.mkdir(parents=True)
    deal = pq.read_table(root / "hubspot" / "raw" / "hubspot" / "deal.parquet")
    pq.write_table(deal.drop(["property_deal_currency_code"]), folder / "deal.parquet")
    assert load_main([str(tmp_path / "raw"), "--database", str(tmp_path / "w.duckdb")]) == 2
    assert "missing required column(s) property_deal_currency_code of hubspot.deal" in \
        capsys.readouterr().err


@pytest.fixture(scope="module")
def staged(variants):
    root, _ = variants
    database = root / "hubspot" / "warehouse.duckdb"
    load_folder(root / "hubspot" / "raw", database, log=_quiet)
    seeds = "hubspot_lead_status_stages hubspot_lifecycle_stages hubspot_deal_stage_stages"
    result = run_dbt(database, "build", "--select", f"staging.hubspot staging.billing {seeds}",
                     "--indirect-selection", "cautious",
                     "--vars", "{crm: hubspot, lifecycle_as_of: '2025-01-01 00:00:00'}")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return root, database


# HUBSPOT_TABLES: HubSpot's own and the billing export's (HubSpot has no contract object)
HUBSPOT_SOURCES = sorted({t.source for t in HUBSPOT_TABLES})


def test_staging_dispositions_equal_what_the_generator_wrote(staged):
    root, database = staged
    expected = pd.read_parquet(root / "hubspot" / "truth" / "expected_row_counts.parquet")
    expected = expected[expected["source"].isin(HUBSPOT_SOURCES)].set_index(
        ["source", "table_name"])
    assert set(expected.index) == {(t.source, t.name) for t in HUBSPOT_TABLES}
    with duckdb.connect(str(database), read_only=True) as con:
        for source, table in expected.index:
            counts = dict(con.execute(
                f"select _row_disposition, count(*) from staging.base_{source}__{table} "
                "group by 1").fetchall())
            assert {kind: counts.get(kind, 0) for kind in
                    ("staged", "duplicate", "deleted", "rejected")} == {
                kind: expected.at[(source, table), f"{kind}_rows"] for kind in
                ("staged", "duplicate", "deleted", "rejected")}, table


def test_staging_rejects_the_planted_rows_with_their_reason(staged):
    root, database = staged
    expected = pd.read_parquet(root / "hubspot" / "truth" / "expected_rejects.parquet")
    expected = expected[expected["source"].isin(HUBSPOT_SOURCES)]
    assert not expected.empty
    with duckdb.connect(str(database), read_only=True) as con:
        actual = {(table.source, table.name, *row) for table in HUBSPOT_TABLES
                  for row in con.execute(
                      f"select _record_key, _reject_reason from staging.base_{table.source}__"
                      f"{table.name} where _row_disposition = 'rejected'").fetchall()}
    assert actual == set(zip(expected["source"], expected["table_name"], expected["record_id"],
                             expected["reason_code"]))


@pytest.fixture(scope="module")
def lifecycles(variants, staged):
    """The CRM layer (intermediate.crm) and the lead stage entries built from either variant:
    the two warehouses, Salesforce's first."""
    root, hubspot_database = staged
    as_of = "{lifecycle_as_of: '2025-01-01 00:00:00'}"
    selection = ("--select", "+int_lead_stage_entries +intermediate.crm")
    result = run_dbt(hubspot_database, "build", *selection, "--indirect-selection", "cautious",
                     "--vars", as_of.replace("{", "{crm: hubspot, "))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    salesforce_database = root / "salesforce" / "warehouse.duckdb"
    load_folder(root / "salesforce" / "raw", salesforce_database, log=_quiet)
    result = run_dbt(salesforce_database, "build", *selection,
                     "--resource-type", "model", "--resource-type", "seed", "--vars", as_of)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return salesforce_database, hubspot_database


def _query(database, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).df()


def test_lead_stage_entries_are_the_same_from_either_crm(variants, lifecycles):
    """`crm: hubspot` switches the lifecycle intermediates to HubSpot: one seed, generated as
    Salesforce and as HubSpot, gives the same stage entries (lead ids through hubspot_ids)."""
    root, _ = variants
    query = ("select lead_id, lifecycle_stage, entered_at, entry_source, stage_order, "
             "entry_number from intermediate.int_lead_stage_entries")
    salesforce, hubspot = (_query(database, query) for database in lifecycles)
    salesforce["lead_id"] = _ids(root, "lead").reindex(salesforce["lead_id"]).astype(str).to_numpy()
    key = ["lead_id", "entry_number"]
    assert len(salesforce) > 0
    pd.testing.assert_frame_equal(salesforce.sort_values(key, ignore_index=True),
                                  hubspot.sort_values(key, ignore_index=True), check_dtype=False)


# the CRM layer's columns that HubSpot holds as Salesforce does (int_crm_*: id columns and the
# object their ids name); the others differ by design (picklist values, employee ranges,
# HubSpot's missing campaign, lead source, department and title; docs/hubspot.md)
CRM_LAYER = {
    "int_crm_leads": ("lead_id", {"lead_id": "lead", "owner_id": "user",
                                  "converted_account_id": "account",
                                  "converted_opportunity_id": "opportunity"},
                      ["email", "first_name", "last_name", "company_name", "title", "industry",
                       "country", "disqualification_reason", "is_converted", "converted_date",
                       "created_at"]),
    "int_crm_opportunities": ("opportunity_id", {"opportunity_id": "opportunity",
                                                 "account_id": "account", "owner_id": "user"},
                              ["opportunity_name", "opportunity_type", "loss_reason",
                               "currency_code", "amount", "probability", "is_closed", "is_won",
                               "close_date", "created_at", "reporting_currency_code",
                               "amount_in_reporting_currency"]),
    "int_crm_accounts": ("account_id", {"account_id": "account", "owner_id": "user"},
                         ["account_name", "industry", "billing_country", "account_type",
                          "number_of_employees", "annual_revenue", "is_abm_target",
                          "created_at"]),
    "int_crm_contacts": ("contact_id", {"contact_id": "contact", "account_id": "account",
                                        "owner_id": "user"},
                         ["email", "first_name", "last_name", "title"]),
    "int_crm_users": ("user_id", {"user_id": "user"},
                      ["user_name", "email", "is_active", "created_at"]),
    # the billing system's contracts have ids of their own: compared by account and start
    "int_crm_contracts": (["account_id", "start_date", "contract_status", "annual_value"],
                          {"account_id": "account"},
                          ["start_date", "contract_status", "currency_code",
                           "contract_term_months", "annual_value", "end_date",
                           "reporting_currency_code", "annual_value_in_reporting_currency"]),
}


@pytest.mark.parametrize("model", sorted(CRM_LAYER))
def test_the_crm_layer_is_the_same_from_either_crm(variants, lifecycles, model):
    """int_crm_<object> from HubSpot's tables equals it from Salesforce's, ids through
    hubspot_ids, money converted at HubSpot's exchange rates; a converted HubSpot lead is its
    own converted contact."""
    root, _ = variants
    key, id_columns, columns = CRM_LAYER[model]
    query = f"select {', '.join([*id_columns, *columns])} from intermediate.{model}"
    salesforce, hubspot = (_query(database, query) for database in lifecycles)
    for column, kind in id_columns.items():
        salesforce[column] = _ids(root, kind).reindex(salesforce[column]).to_numpy()
        hubspot[column] = pd.to_numeric(hubspot[column]).to_numpy()
    assert len(salesforce) > 0
    pd.testing.assert_frame_equal(
        salesforce.sort_values(key, ignore_index=True), hubspot.sort_values(key, ignore_index=True),
        check_dtype=False, rtol=1e-9)
    if model == "int_crm_leads":
        leads = _query(lifecycles[1], f"select lead_id, converted_contact_id from intermediate.{model}")
        converted = leads["converted_contact_id"].notna()
        assert converted.any()
        assert (leads.loc[converted, "converted_contact_id"] == leads.loc[converted, "lead_id"]).all()


def test_sales_activities_and_lead_history_are_the_same_from_either_crm(variants, lifecycles):
    """HubSpot's engagements are Salesforce's tasks and events (per type, rep and day: a
    HubSpot task is timed no earlier than its creation, a Salesforce one at its due day's
    start), its owner property history Salesforce's Owner lead history rows."""
    root, _ = variants
    activities = ("select activity_source, activity_type, owner_id, "
                  "cast(activity_at as date) as activity_date from intermediate.int_crm_activities")
    owners = ("select lead_id, old_value, new_value, changed_at from intermediate.int_crm_lead_history "
              "where field_name = 'Owner'")
    (sf_activities, hs_activities), (sf_owners, hs_owners) = (
        [_query(database, query) for database in lifecycles] for query in (activities, owners))
    users = _ids(root, "user")
    sf_activities["owner_id"] = users.reindex(sf_activities["owner_id"]).to_numpy()
    for column in ("lead_id", "old_value", "new_value"):
        sf_owners[column] = _ids(root, "lead" if column == "lead_id" else "user").reindex(
            sf_owners[column]).to_numpy()
        hs_owners[column] = pd.to_numeric(hs_owners[column]).to_numpy()
    hs_activities["owner_id"] = pd.to_numeric(hs_activities["owner_id"]).to_numpy()
    for salesforce, hubspot in ((sf_activities, hs_activities), (sf_owners, hs_owners)):
        assert len(salesforce) > 0
        key = list(salesforce.columns)
        pd.testing.assert_frame_equal(salesforce.sort_values(key, ignore_index=True),
                                      hubspot.sort_values(key, ignore_index=True),
                                      check_dtype=False)
