"""The DCAT catalogue at /data/catalog.jsonld conforms to DCAT-AP 3.0.0 (its SHACL shapes, pySHACL) and lists
every file of every dataset with its address, format, licence, size and checksum."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from helpers import DATA

# A plain namespace: rdflib's closed DCAT namespace is DCAT 2 and warns on DCAT 3 terms (hasVersion, version).
DCAT = Namespace("http://www.w3.org/ns/dcat#")

SHAPES = Path(__file__).parent / "standards" / "dcat-ap-3.0.0-SHACL.ttl"
SPDX = Namespace("http://spdx.org/rdf/terms#")
SH = Namespace("http://www.w3.org/ns/shacl#")
PACKAGES = {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in DATA.glob("*/datapackage.json")}


@pytest.fixture(scope="module")
def catalogue(built_site) -> Graph:
    return Graph().parse(built_site / "data" / "catalog.jsonld", format="json-ld")


@pytest.fixture(scope="module")
def report(catalogue):
    conforms, graph, text = validate(catalogue, shacl_graph=Graph().parse(SHAPES), inference="none")
    return conforms, graph, text


def test_the_catalogue_has_no_dcat_ap_violation(report):
    conforms, graph, text = report
    violations = list(graph.subjects(SH.resultSeverity, SH.Violation))
    assert conforms and not violations, text[:4000]


def test_the_shapes_are_the_published_dcat_ap_3_0_0_file():
    """A broken or emptied copy would pass anything."""
    shapes = Graph().parse(SHAPES)
    assert len(shapes) > 1000
    assert (None, SH.targetClass, DCAT.Distribution) in shapes


def test_an_incomplete_catalogue_fails_the_shapes(catalogue):
    broken = Graph()
    for triple in catalogue:
        if triple[1] not in (DCAT.accessURL, DCTERMS.description):
            broken.add(triple)
    conforms, _, _ = validate(broken, shacl_graph=Graph().parse(SHAPES), inference="none")
    assert not conforms


def test_every_file_of_every_dataset_is_a_distribution_with_size_and_checksum(built_site, catalogue):
    site = json.loads((built_site / "data" / "catalog.jsonld").read_text(encoding="utf-8"))["foaf:homepage"]["@id"]
    for package, meta in PACKAGES.items():
        dataset = URIRef(f"{site}data/{package}/")
        assert (dataset, RDF.type, DCAT.Dataset) in catalogue
        urls = {str(catalogue.value(d, DCAT.downloadURL)) for d in catalogue.objects(dataset, DCAT.distribution)}
        expected = {
            f"{site}downloads/{package}/{r['name']}.{ext}"
            for r in meta["resources"]
            for ext in ("csv", "excel.csv", "xlsx", "json", "parquet")
        }
        expected.add(f"{site}downloads/{package}/{meta['version']}/{package}.zip")
        assert urls == expected, package
        for distribution in catalogue.objects(dataset, DCAT.distribution):
            path = built_site / str(catalogue.value(distribution, DCAT.downloadURL))[len(site) :]
            data = path.read_bytes()
            assert int(catalogue.value(distribution, DCAT.byteSize)) == len(data)
            checksum = catalogue.value(distribution, SPDX.checksum)
            assert str(catalogue.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
            assert catalogue.value(distribution, DCAT.accessURL) is not None
            assert catalogue.value(distribution, DCAT.mediaType) is not None
            assert str(catalogue.value(distribution, DCTERMS.license)) == meta["licenses"][0]["path"]


def test_publisher_contact_theme_place_time_and_dates(built_site, catalogue):
    from builder.settings import make_settings

    settings = make_settings()
    site = json.loads((built_site / "data" / "catalog.jsonld").read_text(encoding="utf-8"))["foaf:homepage"]["@id"]
    for package, meta in PACKAGES.items():
        dataset = URIRef(f"{site}data/{package}/")
        publisher = catalogue.value(dataset, DCTERMS.publisher)
        assert str(catalogue.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name"))) == settings.publisher
        contact = catalogue.value(dataset, DCAT.contactPoint)
        assert str(catalogue.value(contact, URIRef("http://www.w3.org/2006/vcard/ns#fn"))) == settings.contact.name
        assert list(catalogue.objects(dataset, DCAT.theme))
        places = {str(catalogue.value(p, DCTERMS.identifier)) for p in catalogue.objects(dataset, DCTERMS.spatial)}
        assert "440000" in places
        assert str(catalogue.value(dataset, DCTERMS.modified)) == meta["x-releaseDate"]
        assert catalogue.value(dataset, DCTERMS.issued) is not None
    cities = {
        str(catalogue.value(p, DCTERMS.identifier))
        for p in catalogue.objects(URIRef(f"{site}data/audit-statistics/"), DCTERMS.spatial)
    }
    assert len(cities - {"440000"}) == 21
    period = catalogue.value(URIRef(f"{site}data/audit-statistics/"), DCTERMS.temporal)
    assert str(catalogue.value(period, DCAT.startDate)).startswith("20")


def test_earlier_releases_are_versions_with_their_zip(built_site, catalogue):
    site = json.loads((built_site / "data" / "catalog.jsonld").read_text(encoding="utf-8"))["foaf:homepage"]["@id"]
    kept = sorted(p.parent.name for p in (DATA.parent / "releases" / "enterprises").glob("*/datapackage.json"))
    current = PACKAGES["enterprises"]["version"]
    versions = list(catalogue.objects(URIRef(f"{site}data/enterprises/"), DCAT.hasVersion))
    assert sorted(str(catalogue.value(v, DCAT.version)) for v in versions) == [k for k in kept if k != current]
    for version in versions:
        (zipped,) = catalogue.objects(version, DCAT.distribution)
        path = built_site / str(catalogue.value(zipped, DCAT.downloadURL))[len(site) :]
        assert path.is_file() and int(catalogue.value(zipped, DCAT.byteSize)) == path.stat().st_size
