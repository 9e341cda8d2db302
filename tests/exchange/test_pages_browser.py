"""The web pages in a real headless Chromium (Debian's chromium + chromedriver, via selenium),
against a real server process: log-in, list, search, detail with correlations, the new-incident
form, the feed, alerts, audit; a member never sees another member's private incident."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from chainbreaker.exchange.database import Store
from chainbreaker.exchange.identities import add_member, add_user, authenticate_password
from tests.headless_chromium import flags

from .helpers import PASSWORD, report
from .server_process import ServerProcess

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and shutil.which(CHROMEDRIVER)),
    reason="Debian's chromium and chromium-driver are not installed (make pytest installs them)",
)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[ServerProcess, dict[str, int]]]:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    store = Store(url)
    with store.writing() as s:
        for m in ("A", "B"):
            add_member(s, m, f"member {m}")
        add_user(s, "A", "anna", "admin", PASSWORD)
        add_user(s, "B", "bert", "analyst", PASSWORD)
    with store.reading() as s:
        anna = authenticate_password(s, "anna", PASSWORD)
    assert anna is not None
    ids = {
        "private": report(
            store, anna, parties=[{"name": "Secret Lab Holdings"}], narrative="only for A"
        ),
        "open": report(
            store,
            anna,
            sharing="coalition",
            tlp="green",
            parties=[{"name": "Open Trading Co", "phone": "+31 20 555 0101"}],
            substances=[{"name": "NPP"}],
        ),
    }
    store.dispose()
    srv = ServerProcess(url, tmp_path / "server.log").start()
    try:
        yield srv, ids
    finally:
        srv.stop()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*flags(tmp_path / "chrome"), "--window-size=1280,900"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _wait_url(driver: webdriver.Chrome, part: str) -> None:
    WebDriverWait(driver, 15).until(lambda d: part in d.current_url)


def _login(driver: webdriver.Chrome, base: str, user: str, password: str = PASSWORD) -> None:
    driver.get(base + "/login")
    driver.find_element(By.ID, "username").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "login").click()


def test_pages_in_chromium(
    site: tuple[ServerProcess, dict[str, int]], browser: webdriver.Chrome, tmp_path: Path
) -> None:
    srv, ids = site
    base = srv.url
    browser.get(base + "/incidents")
    assert browser.current_url.endswith("/login")  # no session: sent to log in
    _login(browser, base, "bert", "wrong password!")
    # the answer replaces the page: wait for it (a loaded machine answers late)
    WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.ID, "error"))
    assert "wrong password" in browser.find_element(By.ID, "error").text
    _login(browser, base, "bert")
    _wait_url(browser, "/incidents")
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "Open Trading Co" in page and "Secret Lab" not in page
    assert "1 incident you may see" in page
    # search and a direct link to A's private incident show nothing of it
    browser.get(base + "/incidents?q=secret")
    assert "0 incidents" in browser.find_element(By.TAG_NAME, "body").text
    browser.get(base + f"/incidents/{ids['private']}")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "no incident" in body and "Secret Lab" not in body and "only for A" not in body
    browser.get(base + "/feed")
    feed = browser.find_element(By.ID, "feed").text
    assert "Open Trading Co" in feed and "Secret Lab" not in feed
    # Bert reports an incident through the form; it is correlated with A's open incident
    browser.get(base + "/incidents/new")
    browser.find_element(By.ID, "occurred_on").send_keys("03/04/2024")
    browser.find_element(By.ID, "party_name").send_keys("Harbour Logistics")
    browser.find_element(By.ID, "party_phone").send_keys("0031 20 5550101")
    browser.find_element(By.ID, "substances").send_keys("N-phenethyl-4-piperidone")
    browser.find_element(By.ID, "save").click()
    WebDriverWait(browser, 15).until(lambda d: "/incidents/new" not in d.current_url)
    links = browser.find_element(By.ID, "correlations").text
    assert "phone" in links and "substance" in links and str(ids["open"]) in links
    assert "Secret Lab" not in browser.page_source
    browser.save_screenshot(str(tmp_path / "incident.png"))
    browser.find_element(By.LINK_TEXT, str(ids["open"])).click()  # A's open incident
    WebDriverWait(browser, 15).until(lambda d: d.current_url.endswith(f"/incidents/{ids['open']}"))
    assert "Open Trading Co" in browser.find_element(By.TAG_NAME, "body").text
    browser.get(base + "/audit")
    assert "Only admins" in browser.find_element(By.TAG_NAME, "body").text
    browser.find_element(By.XPATH, "//button[text()='Log out']").click()
    _wait_url(browser, "/login")
    # Anna (admin of A) sees her private incident and who read her open one
    _login(browser, base, "anna")
    _wait_url(browser, "/incidents")
    assert "Secret Lab Holdings" in browser.find_element(By.ID, "incidents").text
    browser.get(base + "/audit")
    audit = browser.find_element(By.ID, "audit").text
    assert "bert incident.read incident " + str(ids["open"]) in audit
    assert "anna incident.create" in audit
    browser.get(base + "/alerts")
    assert browser.find_element(By.ID, "alerts").text.startswith("Seen")
