"""Format detection, list specs and load_list, on small files written here."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders import detect_format, load_list, parse_list_spec
from chainbreaker.parties.models import FORMATS
from tests.parties.loaders.test_eu_xml import SMALL as EU_SMALL
from tests.parties.loaders.test_un_xml import SMALL as UN_SMALL

OFAC_CSV = (
    '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    '173,"ANGLO-CARIBBEAN CO., LTD.",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    "\x1a"
)
SAMPLES = {
    "ofac-csv": OFAC_CSV,
    "ofac-xml": (
        '<?xml version="1.0" standalone="yes"?>\n'
        '<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">'
        "<publshInformation><Publish_Date>05/03/2024</Publish_Date></publshInformation>"
        "</sdnList>"
    ),
    "ofac-advanced": (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<Sanctions xmlns="http://www.un.org/sanctions/1.0"><DateOfIssue><Year>2024</Year>'
        "</DateOfIssue><ReferenceValueSets/><DistinctParties/></Sanctions>"
    ),
    "un-xml": UN_SMALL,
    "eu-xml": EU_SMALL,
    "ftm": json.dumps({"id": "x", "schema": "Person", "properties": {"name": ["X"]}}) + "\n",
    "csv": "id,name,country\nM1,Zhang Wei,CN\n",
}


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_each_format_is_detected(tmp_path: Path, fmt: str) -> None:
    # the name says nothing: detection reads the content
    assert detect_format(_write(tmp_path, "list.dat", SAMPLES[fmt])) == fmt


def test_every_format_has_a_sample() -> None:
    assert sorted(SAMPLES) == sorted(FORMATS)


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("\ufeffid;name;aliases\n1;A;B\n", "csv"),  # BOM, semicolons
        ('"ID","Name"\r\n"1","A"\r\n', "csv"),  # quoted header, any case
        ("name,schema,id\n", "csv"),  # a header alone is a (empty) list
        (' 306 ,"BANCO NACIONAL DE CUBA",-0- ,"CUBA"\n', "ofac-csv"),
        ("<!-- exported <today> -->\n<CONSOLIDATED_LIST dateGenerated='x'/>", "un-xml"),
        ('<?xml version="1.0"?>\n<!DOCTYPE sdnList>\n<sdnList/>', "ofac-xml"),
        ('<fsd:export xmlns:fsd="http://eu.europa.ec/fpi/fsd/export"/>', "eu-xml"),
        ('{"schema": "Company", "id": "c1", "properties": {}}', "ftm"),
    ],
)
def test_variants_are_detected(tmp_path: Path, text: str, fmt: str) -> None:
    assert detect_format(_write(tmp_path, "x", text)) == fmt


def test_utf16_xml_is_detected(tmp_path: Path) -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><CONSOLIDATED_LIST/>'
    assert detect_format(_write(tmp_path, "u.xml", text.encode("utf-16"))) == "un-xml"


def test_a_folder_with_sdn_csv_is_ofac_csv(tmp_path: Path) -> None:
    _write(tmp_path, "SDN.CSV", OFAC_CSV)
    assert detect_format(tmp_path) == "ofac-csv"
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataError, match=r"empty: a folder without sdn\.csv"):
        detect_format(empty)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"the file is empty"),
        ("  \n\n", r"the file is empty"),
        ("<html><body>Sign in</body></html>", r"an XML file with root <html>"),
        ("<export><other/></export>", r"an XML file with root <export>"),
        ('{"op": "ADD"}\n', r"not a list format chainbreaker recognises \(it starts '\{\"op\""),
        ("ent_num,sdn_name\n1,A\n", r"not a list .* \(it starts 'ent_num,sdn_name'\); give the"),
        ('36,12,"aka","AERO-CARIBBEAN",-0- \n', r"not a list format"),  # OFAC alt.csv alone
    ],
)
def test_unrecognised_files_name_the_file(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DataError, match=r"odd\.txt: " + message):
        detect_format(_write(tmp_path, "odd.txt", text))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    head=st.sampled_from(["", "<", "<?xml?>", "{", "id,name\n", '1,"', "\ufeff"]),
    body=st.binary(max_size=300),
)
def test_detection_gives_a_format_or_a_data_error(tmp_path: Path, head: str, body: bytes) -> None:
    path = _write(tmp_path, "any.bin", head.encode() + body)
    try:
        assert detect_format(path) in FORMATS
    except DataError as exc:
        assert str(path) in str(exc)


def test_detect_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"none\.xml: cannot be read"):
        detect_format(tmp_path / "none.xml")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("sdn.csv", (Path("sdn.csv"), None)),
        ("sdn.csv:ofac-csv", (Path("sdn.csv"), "ofac-csv")),
        ("lists/un.xml:UN-XML", (Path("lists/un.xml"), "un-xml")),
        ("own:csv", (Path("own"), "csv")),
        ("lists/2024:05/sdn.csv", (Path("lists/2024:05/sdn.csv"), None)),  # ':' inside a path
        ("a:b:ftm", (Path("a:b"), "ftm")),
        ("file.xml:xml", (Path("file.xml:xml"), None)),  # not a format: part of the name
        (":csv", (Path(":csv"), None)),  # no path before the format
    ],
)
def test_parse_list_spec(spec: str, expected: tuple[Path, str | None]) -> None:
    assert parse_list_spec(spec) == expected


def test_load_list_errors_name_the_file_or_format(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"missing\.csv: no such list file"):
        load_list(tmp_path / "missing.csv")
    path = _write(tmp_path, "own.csv", SAMPLES["csv"])
    with pytest.raises(DataError, match=r"own\.csv: unknown list format 'xls'; one of ofac-csv"):
        load_list(path, "xls")
    assert load_list(path, " CSV ").info.format == "csv"  # a format in any case


@pytest.mark.parametrize(
    ("fmt", "default_id", "first_id"),
    [
        ("un-xml", "un-consolidated", "QDi.901"),
        ("eu-xml", "eu-fsf", "13"),
        ("ftm", "list", "x"),
        ("csv", "list", "M1"),
    ],
)
def test_load_list_end_to_end(tmp_path: Path, fmt: str, default_id: str, first_id: str) -> None:
    path = _write(tmp_path, "list.txt", SAMPLES[fmt])
    detected = load_list(str(path))
    assert (detected.info.format, detected.info.list_id) == (fmt, default_id)
    assert detected.entities[0].entity_id == first_id
    given = load_list(path, fmt, list_id="mine")
    assert (given.info.list_id, given.entities[0].list_id) == ("mine", "mine")
    assert [e.entity_id for e in given.entities] == [e.entity_id for e in detected.entities]


def test_a_format_given_wins_over_detection(tmp_path: Path) -> None:
    path = _write(tmp_path, "list.txt", SAMPLES["csv"])
    with pytest.raises(DataError, match=r"list\.txt: not well-formed XML at line 1, column 1"):
        load_list(path, "un-xml")


@pytest.mark.skipif(
    importlib.util.find_spec("chainbreaker.parties.loaders.ofac_csv") is None,
    reason="the OFAC CSV reader is not there yet",
)
def test_load_list_ofac_csv(tmp_path: Path) -> None:
    loaded = load_list(_write(tmp_path, "sdn.csv", OFAC_CSV))
    assert (loaded.info.format, loaded.info.list_id) == ("ofac-csv", "ofac-sdn")
    assert [(e.entity_id, e.name) for e in loaded.entities] == [
        ("36", "AEROCARIBBEAN AIRLINES"),
        ("173", "ANGLO-CARIBBEAN CO., LTD."),
    ]
