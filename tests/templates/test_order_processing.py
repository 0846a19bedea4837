"""The order-processing template (bottemplates/order-processing/), installed as a user installs
it and driven through the REST API with two real Celery workers: checks in parallel, a review
that escalates, the payment confirmation event and its timeout's compensation, a flaky carrier
retried and, when it keeps failing, a clean failure."""


import pytest

from llmrouter.models import LLMCall

from tests.templates.conftest import (TEMPLATES, get_run, pending_approvals, publish, start_run, template_files_report,
                                      wait_run)
from tests.workflows.events_helpers import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

ORDER = {"email": "ana@shop.example", "sku": "BOOK-1", "quantity": 2, "unit_price": 45, "ship_country": "BR",
         "billing_country": "BR"}


def set_memory(client, bot: str, key: str, value) -> None:
    response = client.put(f"/api/bots/{bot}/memory/{key}", {"value": value}, format="json")
    assert response.status_code in (200, 201), response.json()


def memory(client, bot: str, key: str):
    response = client.get(f"/api/bots/{bot}/memory/{key}")
    assert response.status_code == 200, (key, response.json())
    return response.json()["value"]


def steps(run: dict) -> list[tuple[str, int, str]]:
    return [(s["label"], s["attempt"], s["status"]) for s in run["steps"]]


@pytest.fixture
def shop(install_template, api_client):
    """The template with short waits, and 5 of BOOK-1 on the shelf."""
    def install(carrier_failures=0, **params):
        settings = {"review_timeout": 2, "payment_timeout": 30, "carrier_retries": 2, "tracking_delay": 1, **params}
        install_template("order-processing", configs={"order-carrier": {"param-carrier_failures": carrier_failures}},
                         **settings)
        set_memory(api_client, "order-stock", "stock:BOOK-1", 5)
    return install


def test_an_order_is_checked_in_parallel_paid_shipped_after_one_carrier_retry_and_tracked(workers, shop, api_client):
    shop(carrier_failures=1)
    run_id = start_run(api_client, "order-processing", {"order_id": "O-1", **ORDER})

    waiting = wait_run(api_client, run_id, "waiting", waiting_for="event:payment_confirmed")
    # the join merged what each branch found: payment, stock and fraud
    merged = waiting["variables"]
    assert (merged["payment_status"], merged["payment_id"]) == ("authorized", "PAY-O-1")
    assert (merged["stock_status"], merged["stock_available"]) == ("reserved", 5)
    assert (merged["fraud_score"], merged["fraud_note"]) == (20, "first order of ana@shop.example")
    check = waiting["steps"][0]
    assert (check["label"], check["kind"], check["status"], check["conflicts"]) == ("1", "parallel", "completed", [])
    assert [(c["branch_label"], c["status"]) for c in waiting["children"]] == [
        ("A", "completed"), ("B", "completed"), ("C", "completed")]
    assert memory(api_client, "order-stock", "stock:BOOK-1") == 3

    publish(api_client, "payment_confirmed", {"order_id": "O-999", "amount": 1})  # another order's: not taken
    publish(api_client, "payment_confirmed", {"order_id": "O-1", "amount": 90})
    done = wait_run(api_client, run_id, "completed", timeout=40)

    assert done["variables"]["confirmation"] == {"order_id": "O-1", "amount": 90}
    assert done["variables"]["order_status"] == "shipped" and done["variables"]["tracking_number"] == "TRK-O-1"
    assert done["steps"][-1]["output"] == ["Order O-1 is in_transit (TRK-O-1)."]  # STEP 6: the tracking
    assert [label for label, _, status in steps(done) if status == "completed"] == ["1", "3", "4", "6"]
    assert [(c["kind"], c["bot"], c["branch_label"]) for c in done["children"]] == [
        ("branch", "order-processing", "A"), ("branch", "order-processing", "B"), ("branch", "order-processing", "C"),
        ("branch", "order-processing", "A"), ("branch", "order-processing", "B"), ("child", "order-carrier", "")]
    booking = get_run(api_client, done["children"][3]["id"])
    assert steps(booking) == [("5", 1, "failed"), ("5", 2, "completed")]
    assert "Correios is unavailable (call 1 for order O-1)" in booking["steps"][0]["error"]
    assert [e["event_name"] for e in done["events"]] == ["order_shipped"]
    tracking = api_client.get("/api/events/", {"name": "tracking_update"}).json()["results"]
    assert [e["data"] for e in tracking] == [{"order_id": "O-1", "tracking": "TRK-O-1", "status": "in_transit"}]
    assert memory(api_client, "order-carrier", "shipment:O-1")["status"] == "in_transit"
    assert memory(api_client, "order-payments", "payment:O-1")["status"] == "authorized"
    # the risk note and the invoice note went through the router with the configured goals
    assert sorted(LLMCall.objects.filter(root_execution_id=run_id).values_list("bot__name", "goal", "success")) == [
        ("order-fraud", "cost", True), ("order-notify", "cost", True)]


def test_no_payment_confirmation_refunds_and_restocks(workers, shop, api_client):
    shop(payment_timeout=2)
    run_id = start_run(api_client, "order-processing", {"order_id": "O-2", **ORDER})

    done = wait_run(api_client, run_id, "completed", timeout=40)

    variables = done["variables"]
    assert variables["event_timed_out"] is True and variables["order_status"] == "rejected"
    assert variables["reason"] == "payment not confirmed within 2 seconds"
    assert (variables["refund_id"], variables["restocked"]) == ("RF-O-2", True)
    assert [label for label, _, status in steps(done) if status == "completed"] == ["1", "3", "7"]
    assert memory(api_client, "order-stock", "stock:BOOK-1") == 5  # the 2 reserved are back
    assert memory(api_client, "order-payments", "payment:O-2") == {
        "id": "PAY-O-2", "amount": 90, "status": "refunded", "refund": "RF-O-2"}
    cancelled = [e for e in done["events"] if e["event_name"] == "order_cancelled"]
    assert [e["event_data"] for e in cancelled] == [
        {"order_id": "O-2", "reason": "payment not confirmed within 2 seconds", "refund": "RF-O-2"}]


def test_a_large_order_waits_for_review_which_escalates_when_nobody_answers(workers, shop, api_client):
    shop()
    set_memory(api_client, "order-stock", "stock:LAMP-3", 40)
    run_id = start_run(api_client, "order-processing", {"order_id": "O-3", **ORDER, "sku": "LAMP-3", "quantity": 30})

    wait_run(api_client, run_id, "waiting", waiting_for="approval")
    # nobody on risk@ answers within review_timeout (2 s): the request goes to review_escalation
    assert wait_until(lambda: [a["approver"] for a in pending_approvals(api_client, run_id)] == [
        "head-of-risk@shop.example"], timeout=20)
    escalated = pending_approvals(api_client, run_id)
    assert escalated[0]["step_label"] == "2"
    first = api_client.get("/api/approvals/", {"status": "escalated"}).json()["results"]
    assert [(a["approver"], a["run"]) for a in first] == [("risk@shop.example", run_id)]

    decided = api_client.post(f"/api/approvals/{escalated[0]['id']}/approve", {"comment": "known buyer"},
                              format="json")
    assert decided.status_code == 200, decided.json()
    wait_run(api_client, run_id, "waiting", waiting_for="event:payment_confirmed", timeout=20)
    publish(api_client, "payment_confirmed", {"order_id": "O-3"})
    done = wait_run(api_client, run_id, "completed", timeout=40)

    assert done["variables"]["total"] == 1350 and done["variables"]["approval_comment"] == "known buyer"
    assert done["variables"]["order_status"] == "shipped"
    assert memory(api_client, "order-stock", "stock:LAMP-3") == 10


def test_short_stock_rejects_the_order_at_once_and_gives_the_held_payment_back(workers, shop, api_client):
    shop()
    run_id = start_run(api_client, "order-processing", {"order_id": "O-5", **ORDER, "quantity": 6})

    done = wait_run(api_client, run_id, "completed", timeout=30)

    variables = done["variables"]
    assert (variables["stock_status"], variables["payment_status"]) == ("short", "refunded")
    assert variables["reason"] == "only 5 of BOOK-1 in stock"
    assert (variables["refund_id"], variables["restocked"]) == ("RF-O-5", False)  # nothing was reserved
    assert [label for label, _, status in steps(done) if status == "completed"] == ["1", "7"]
    assert memory(api_client, "order-stock", "stock:BOOK-1") == 5


def test_a_carrier_that_keeps_failing_fails_its_branch_after_the_retries_and_the_run_cleanly(workers, shop,
                                                                                             api_client):
    shop(carrier_failures=9)
    run_id = start_run(api_client, "order-processing", {"order_id": "O-4", **ORDER})
    wait_run(api_client, run_id, "waiting", waiting_for="event:payment_confirmed")
    publish(api_client, "payment_confirmed", {"order_id": "O-4"})

    failed = wait_run(api_client, run_id, "failed", timeout=40)

    assert failed["failure"]["step"] == "4"
    assert "branch A failed" in failed["failure"]["message"]
    assert "Correios is unavailable (call 3 for order O-4)" in failed["failure"]["message"]
    # the checks' branches and the invoice branch completed; only the carrier's branch failed
    assert [(c["branch_label"], c["status"]) for c in failed["children"]] == [
        ("A", "completed"), ("B", "completed"), ("C", "completed"), ("A", "failed"), ("B", "completed")]
    shipping = failed["children"][3:]
    booking = get_run(api_client, shipping[0]["id"])
    assert steps(booking) == [("5", 1, "failed"), ("5", 2, "failed"), ("5", 3, "failed")]
    assert memory(api_client, "order-carrier", "carrier_calls:O-4") == 3
    assert memory(api_client, "order-notify", "invoice_seq") == 1  # the sibling sent its invoice
    assert [s["status"] for s in failed["steps"] if s["label"] == "4"] == ["failed"]


def test_every_file_checks_clean_and_round_trips():
    checked, tripped = template_files_report(str(TEMPLATES / "order-processing"))

    assert checked["status"] in (0, None) and len(checked["files"]) == 6
    assert [(f["errors"], f["warnings"]) for f in checked["files"]] == [([], [])] * 6, checked
    assert tripped["status"] in (0, None) and [f["identical"] for f in tripped["files"]] == [True] * 6, tripped
