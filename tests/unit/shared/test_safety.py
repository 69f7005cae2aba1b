"""What members type cannot hurt anyone (issue 10, item 8): webhooks, CSV cells, headers."""

from __future__ import annotations

import pytest

from shared.safety import UnsafeUrl, check_webhook_url, header_safe, spreadsheet_safe

PUBLIC = "93.184.216.34"


def _resolver(*addresses: str):  # type: ignore[no-untyped-def]
    return lambda host, port: list(addresses)


@pytest.mark.parametrize(
    ("url", "addresses", "code"),
    [
        ("http://hooks.example.com/x", [PUBLIC], "webhook_not_https"),
        ("https://127.0.0.1:9999/x", [], "webhook_private_address"),
        ("https://[::1]/x", [], "webhook_private_address"),
        ("https://169.254.169.254/latest/meta-data", [], "webhook_private_address"),
        ("https://intranet.example.com/x", ["10.1.2.3"], "webhook_private_address"),
        ("https://rebind.example.com/x", [PUBLIC, "192.168.1.10"], "webhook_private_address"),
        ("https://mapped.example.com/x", ["::ffff:127.0.0.1"], "webhook_private_address"),
        ("https://nowhere.example.com/x", [], "webhook_unresolvable"),
        ("https://user:pw@hooks.example.com/x", [PUBLIC], "webhook_malformed"),
        ("https://hooks.example.com:99999/x", [PUBLIC], "webhook_malformed"),
    ],
)
def test_a_webhook_to_an_internal_or_odd_address_is_refused(
    url: str, addresses: list[str], code: str
) -> None:
    with pytest.raises(UnsafeUrl) as caught:
        check_webhook_url(url, resolver=_resolver(*addresses))
    assert caught.value.code == code


def test_a_public_https_webhook_is_accepted() -> None:
    url = "https://hooks.slack.com/services/T/B/X"
    assert check_webhook_url(url, resolver=_resolver(PUBLIC)) == url


def test_it_may_limit_webhooks_to_the_hosts_it_allows() -> None:
    allowed = [".slack.com", "outlook.office.com"]
    ok = "https://hooks.slack.com/services/x"
    assert check_webhook_url(ok, allowed, _resolver(PUBLIC)) == ok
    with pytest.raises(UnsafeUrl) as caught:
        check_webhook_url("https://evil.example.com/x", allowed, _resolver(PUBLIC))
    assert caught.value.code == "webhook_host_not_allowed"
    with pytest.raises(UnsafeUrl):
        check_webhook_url("https://slack.com.evil.example/x", allowed, _resolver(PUBLIC))


@pytest.mark.parametrize("cell", ["=1+1", "+33 1 23", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_run_is_neutralised(cell: str) -> None:
    assert spreadsheet_safe(cell) == "'" + cell


def test_ordinary_cells_and_numbers_are_left_alone() -> None:
    assert spreadsheet_safe("Lyon Part-Dieu") == "Lyon Part-Dieu"
    assert spreadsheet_safe(3) == 3


def test_no_control_character_reaches_a_mail_header() -> None:
    cleaned = header_safe("Marie\r\nBcc: everyone@example.com\x00\x7f")
    assert all(ord(c) >= 32 and ord(c) != 127 for c in cleaned)
