"""`fetch_list` against a loopback HTTP server serving small list files the tests write."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from chainbreaker.errors import DataError, InvalidInput
from chainbreaker.parties.fetch import FetchError, fetch_list
from chainbreaker.parties.store import ListStore, file_sha256

# Three SDN rows as OFAC writes them: no header, -0- for empty, CRLF, a trailing 0x1A.
SDN_CSV = (
    b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    b'173,"ANGLO-CARIBBEAN CO., LTD.",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    b'6861,"GUZMAN LOERA, Joaquin","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    b'"DOB 25 Dec 1954; POB Mexico."\r\n'
    b"\x1a"
)
ADD_CSV = b'173,129,"Ibex House, The Minories","London EC3N 1DY","United Kingdom",-0- \r\n\x1a'
ALT_CSV = b'36,12,"aka","AERO-CARIBBEAN",-0- \r\n6861,13,"aka","GUZMAN, Chapo",-0- \r\n\x1a'
COMMENTS_CSV = b"\x1a"

UN_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>6908555</DATAID><FIRST_NAME>RI</FIRST_NAME><SECOND_NAME>WON HO</SECOND_NAME>
      <UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPi.033</REFERENCE_NUMBER>
      <LISTED_ON>2016-11-30</LISTED_ON>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1964-07-17</DATE>
      </INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <DATAID>110404</DATAID><FIRST_NAME>AL-AKHTAR TRUST INTERNATIONAL</FIRST_NAME>
      <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDe.121</REFERENCE_NUMBER>
      <LISTED_ON>2003-10-17</LISTED_ON>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
"""
UN_XML_EMPTY = b"""<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-03-01T00:00:00Z"><INDIVIDUALS/><ENTITIES/>
</CONSOLIDATED_LIST>
"""
EU_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<export xmlns="http://eu.europa.ec/fpi/fsd/export"
        generationDate="2026-01-15T10:00:00.000+01:00">
  <sanctionEntity logicalId="13" euReferenceNumber="EU.27.28" designationDate="2001-03-08">
    <subjectType code="person" classificationCode="P"/>
    <nameAlias firstName="Saddam" lastName="Hussein Al-Tikriti"
               wholeName="Saddam Hussein Al-Tikriti" strong="true"/>
    <birthdate birthdate="1937-04-28" year="1937"/>
  </sanctionEntity>
</export>
"""
HTML = b"<!DOCTYPE html>\n<html><body><h1>Sign in</h1></body></html>\n"


@dataclass
class Route:
    """What the server answers on one path: a list of (status, body), the last one repeated."""

    answers: list[tuple[int, bytes]]
    hits: int = 0


@dataclass
class Server:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)

    def serve(self, path: str, *answers: tuple[int, bytes] | bytes) -> None:
        self.routes[path] = Route([a if isinstance(a, tuple) else (200, a) for a in answers])


@pytest.fixture
def server() -> Iterator[Server]:
    routes: dict[str, Route] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = routes.get(self.path)
            status, body = (
                (404, b"not found")
                if route is None
                else route.answers[min(route.hits, len(route.answers) - 1)]
            )
            if route is not None:
                route.hits += 1
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_address[1]}/", routes)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _serve_ofac(server: Server, folder: str = "exports/") -> None:
    server.serve(f"/{folder}SDN.CSV", SDN_CSV)
    server.serve(f"/{folder}ADD.CSV", ADD_CSV)
    server.serve(f"/{folder}ALT.CSV", ALT_CSV)
    server.serve(f"/{folder}SDN_COMMENTS.CSV", COMMENTS_CSV)


def test_ofac_files_are_downloaded_checked_and_stored(server: Server, tmp_path: Path) -> None:
    _serve_ofac(server)
    store = ListStore(tmp_path)
    got = fetch_list("ofac", store, url=server.base + "exports/", backoff=0)
    assert got.source == "ofac" and got.list_id == "ofac-sdn" and got.format == "ofac-csv"
    assert got.entities == 3
    # sdn.csv has no date inside: the download date stands for it, and says so
    assert got.published_from == "download" and got.published == got.fetched_at[:10]
    folder = tmp_path / "lists" / "ofac" / f"{got.published}_{got.sha256[:12]}"
    assert [Path(f) for f in got.files] == [
        folder / "sdn.csv",
        folder / "add.csv",
        folder / "alt.csv",
        folder / "sdn_comments.csv",
    ]
    assert (folder / "sdn.csv").read_bytes() == SDN_CSV
    assert got.urls[0] == server.base + "exports/SDN.CSV"
    assert store.fetched() == [got]
    # the stored list opens, and its aliases came from alt.csv
    loaded = store.open(Path(got.path))
    names = {n.full for e in loaded.entities for n in e.names}
    assert "AERO-CARIBBEAN" in names
    assert not list((tmp_path / "lists" / "ofac").glob(".incoming-*"))


def test_an_optional_file_may_be_missing_but_a_required_one_may_not(
    server: Server, tmp_path: Path
) -> None:
    _serve_ofac(server)
    del server.routes["/exports/SDN_COMMENTS.CSV"]
    got = fetch_list("ofac", ListStore(tmp_path), url=server.base + "exports/", backoff=0)
    assert [Path(f).name for f in got.files] == ["sdn.csv", "add.csv", "alt.csv"]
    del server.routes["/exports/ALT.CSV"]
    with pytest.raises(FetchError, match=r"ALT\.CSV: the server answered HTTP 404"):
        fetch_list("ofac", ListStore(tmp_path / "b"), url=server.base + "exports/", backoff=0)


def test_un_list_takes_its_date_from_the_file(server: Server, tmp_path: Path) -> None:
    server.serve("/xml/consolidated.xml", UN_XML)
    store = ListStore(tmp_path)
    got = fetch_list("un", store, url=server.base + "xml/consolidated.xml", backoff=0)
    assert (got.list_id, got.format, got.entities) == ("un-consolidated", "un-xml", 2)
    assert (got.published, got.published_from) == ("2026-02-27", "file")
    assert Path(got.path).name == "consolidated.xml"
    assert got.sha256 == file_sha256(Path(got.path))


SDN_XML = b"""<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">
  <publshInformation><Publish_Date>05/03/2024</Publish_Date><Record_Count>1</Record_Count>
  </publshInformation>
  <sdnEntry><uid>6861</uid><firstName>Joaquin</firstName><lastName>GUZMAN LOERA</lastName>
    <sdnType>Individual</sdnType><programList><program>SDNTK</program></programList>
  </sdnEntry>
</sdnList>
"""


def test_ofac_from_one_xml_file_takes_its_date_from_the_file(
    server: Server, tmp_path: Path
) -> None:
    server.serve("/exports/SDN.XML", SDN_XML)
    got = fetch_list("ofac", ListStore(tmp_path), url=server.base + "exports/SDN.XML")
    assert (got.format, got.entities, got.published, got.published_from) == (
        "ofac-xml",
        1,
        "2024-05-03",
        "file",
    )
    assert [Path(f).name for f in got.files] == ["sdn.xml"]


def test_eu_needs_an_address_and_says_where_to_find_it(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"--url is required.*webgate\.ec\.europa\.eu"):
        fetch_list("eu", ListStore(tmp_path))


def test_eu_list_from_a_token_address(server: Server, tmp_path: Path) -> None:
    server.serve("/fsf/content?token=abc", EU_XML)
    got = fetch_list("eu", ListStore(tmp_path), url=server.base + "fsf/content?token=abc")
    assert (got.list_id, got.format, got.entities, got.published) == (
        "eu-fsf",
        "eu-xml",
        1,
        "2026-01-15",
    )
    assert Path(got.path).name == "eu_fsf.xml"


def test_http_404_is_a_fetch_error_naming_the_address(server: Server, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"nothing\.xml: the server answered HTTP 404.*--url"):
        fetch_list("un", ListStore(tmp_path), url=server.base + "nothing.xml", backoff=0)


def test_an_html_page_instead_of_the_list_is_refused(server: Server, tmp_path: Path) -> None:
    server.serve("/consolidated.xml", HTML)
    with pytest.raises(DataError, match="sent a web page, not the list"):
        fetch_list("un", ListStore(tmp_path), url=server.base + "consolidated.xml")


def test_an_empty_body_is_refused(server: Server, tmp_path: Path) -> None:
    server.serve("/consolidated.xml", b"")
    with pytest.raises(DataError, match="empty file"):
        fetch_list("un", ListStore(tmp_path), url=server.base + "consolidated.xml")


def test_a_broken_list_is_refused_and_the_stored_one_kept(server: Server, tmp_path: Path) -> None:
    store = ListStore(tmp_path)
    server.serve("/consolidated.xml", UN_XML)
    good = fetch_list("un", store, url=server.base + "consolidated.xml")
    for name, body, why in (
        ("consolidated.xml", UN_XML[:300], "cannot be read"),
        ("consolidated.xml", EU_XML, r"root element is <export>, expected <CONSOLIDATED_LIST>"),
        ("consolidated.xml", UN_XML_EMPTY, "has no entities"),
        ("other.xml", EU_XML, "is eu-xml, not one of un-xml"),  # any name: format detected
    ):
        server.serve(f"/{name}", body)
        with pytest.raises(DataError, match=why) as caught:
            fetch_list("un", store, url=server.base + name)
        assert "the list stored before is kept" in str(caught.value)
        assert store.fetched() == [good]
        assert Path(good.path).read_bytes() == UN_XML
    assert [p.name for p in (tmp_path / "lists" / "un").iterdir()] == [Path(good.path).parent.name]


def test_a_much_smaller_list_needs_force(server: Server, tmp_path: Path) -> None:
    store = ListStore(tmp_path)
    _serve_ofac(server)
    fetch_list("ofac", store, url=server.base + "exports/")
    server.serve("/exports/SDN.CSV", SDN_CSV.split(b"\r\n")[0] + b"\r\n\x1a")  # 1 of 3
    with pytest.raises(DataError, match=r"has 1 entities where the one stored .* has 3.*--force"):
        fetch_list("ofac", store, url=server.base + "exports/")
    got = fetch_list("ofac", store, url=server.base + "exports/", force=True)
    assert got.entities == 1 and store.fetched() == [got]
    # the folder of the list it replaced is gone
    assert [p.name for p in (tmp_path / "lists" / "ofac").iterdir()] == [Path(got.path).parent.name]


def test_transient_failures_are_retried(server: Server, tmp_path: Path) -> None:
    server.serve("/consolidated.xml", (503, b"busy"), (502, b"gateway"), (200, UN_XML))
    got = fetch_list("un", ListStore(tmp_path), url=server.base + "consolidated.xml", backoff=0)
    assert got.entities == 2 and server.routes["/consolidated.xml"].hits == 3


def test_retries_have_a_limit(server: Server, tmp_path: Path) -> None:
    server.serve("/consolidated.xml", (503, b"busy"))
    with pytest.raises(FetchError, match="HTTP 503"):
        fetch_list(
            "un", ListStore(tmp_path), url=server.base + "consolidated.xml", retries=1, backoff=0
        )
    assert server.routes["/consolidated.xml"].hits == 2


def test_an_unreachable_server_is_a_fetch_error(tmp_path: Path) -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as closed:
        port = closed.server_address[1]  # bound, then closed: nothing listens there
    with pytest.raises(FetchError, match=r"could not download \(ConnectError.*after 2 tries"):
        fetch_list(
            "un", ListStore(tmp_path), url=f"http://127.0.0.1:{port}/c.xml", retries=1, backoff=0
        )


def test_a_given_client_is_used(server: Server, tmp_path: Path) -> None:
    server.serve("/consolidated.xml", UN_XML)
    seen: list[str] = []
    with httpx.Client(event_hooks={"request": [lambda r: seen.append(str(r.url))]}) as client:
        fetch_list("un", ListStore(tmp_path), url=server.base + "consolidated.xml", client=client)
    assert seen == [server.base + "consolidated.xml"]


def test_an_unknown_source_or_a_bad_address_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="use one of ofac, un, eu"):
        fetch_list("uk", ListStore(tmp_path))  # type: ignore[arg-type]
    with pytest.raises(FetchError, match="not an http"):
        fetch_list("un", ListStore(tmp_path), url="ftp://example.org/x.xml")
