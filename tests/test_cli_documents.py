"""``syda documents``: one document per generated row from the command line."""

from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner

from sqlalchemy_syda.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "invoices"


def test_documents_from_models(tmp_path):
    out = tmp_path / "invoices"
    result = CliRunner().invoke(main, ["documents", str(EXAMPLE / "invoice.html"), "--models",
                                       "examples.invoices.models:MODELS", "--counts",
                                       "customers=3,invoices=4,invoice_lines=9", "--table", "invoices",
                                       "--to", "pdf", "-o", str(out), "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("4 documents")
    assert sorted(p.name for p in out.iterdir()) == [f"invoices-{i:04d}.pdf" for i in range(1, 5)]


def test_documents_from_a_schema_file_into_a_zip(tmp_path):
    schema = tmp_path / "notes.yaml"
    schema.write_text("tables:\n  people:\n    id: number\n    name: full_name\n"
                      "  notes:\n    id: number\n    person_id: {type: foreign_key, references: people.id}\n"
                      "    body: sentence\n")
    template = tmp_path / "person.txt"
    template.write_text("{{ name }}\n{% for n in notes %}- {{ n.body }}\n{% endfor %}")
    archive = tmp_path / "people.zip"
    result = CliRunner().invoke(main, ["documents", str(template), str(schema), "--rows", "3", "--table", "people",
                                       "-o", str(archive), "--name", "person-{{ id }}"])
    assert result.exit_code == 0, result.output
    assert zipfile.ZipFile(archive).namelist() == ["person-1.txt", "person-2.txt", "person-3.txt"]


def test_documents_errors_are_one_line(tmp_path):
    template = tmp_path / "bad.html"
    template.write_text("{{ oops }")
    result = CliRunner().invoke(main, ["documents", str(template), "--models", "examples.invoices.models:MODELS",
                                       "--rows", "2", "--table", "invoices", "-o", str(tmp_path / "o")])
    assert result.exit_code == 1 and "syntax error on line 1" in result.output
