"""Prompts built from metadata in the seed document's format, printable with `syda prompt` and a method."""

from __future__ import annotations

from click.testing import CliRunner
from llm_stubs import StubServer, fake_llm

from examples.crm_models import Contact, Order
from sqlalchemy_syda import LLM, LLMConfig, SyntheticDataGenerator, generate, table_spec
from sqlalchemy_syda.cli import main
from sqlalchemy_syda.dict_schema import dict_schema_specs
from sqlalchemy_syda.llm.prompts import build_prompt, field_line

CONTACT_PROMPT = """\
Model Description: Individual person associated with a customer organization.
Contacts are the individuals we communicate with at the customer.

Generate 10 records JSON objects with these fields:
- id: number (primary_key)
- customer_id: foreign_key (not_null) - Customer this contact belongs to
- first_name: text (not_null, max_length=50) - Contact's first name
- last_name: text (not_null, max_length=50) - Contact's last name
- email: text (unique, not_null, max_length=100) - Contact's email address
- phone: text (max_length=20) - Contact's phone number
- position: text (max_length=100) - Job title or position
- is_primary: boolean - Whether this is the primary contact

Contacts at B2B software customers."""


def test_the_prompt_follows_the_seed_documents_format():
    """Test docstring, 'Generate N records JSON objects with these fields:', one line per field, the user's words."""
    assert build_prompt(table_spec(Contact), 10, "Contacts at B2B software customers.") == CONTACT_PROMPT


def test_field_lines_for_dict_schemas_keep_their_type_names():
    """Test icd10_code / email / foreign_key type names and the min, max and values options."""
    patients, visits = dict_schema_specs({
        "patients": {"id": "number", "email": {"type": "email", "unique": True, "nullable": False}},
        "visits": {"id": "number", "patient_id": {"type": "foreign_key", "references": "patients.id"},
                   "diagnosis_code": {"type": "icd10_code", "comment": "Main diagnosis"},
                   "severity": {"type": "number", "min": 1, "max": 5},
                   "kind": {"type": "text", "values": ["in person", "video"]}},
    })
    lines = [field_line(visits, c) for c in visits.columns]
    assert lines == ["- id: number (primary_key)", "- patient_id: foreign_key",
                     "- diagnosis_code: icd10_code - Main diagnosis", "- severity: number (min=1, max=5)",
                     "- kind: text (one of: in person | video)"]
    assert field_line(patients, patients.column("email")) == "- email: email (unique, not_null)"


def test_the_printed_prompt_is_the_one_sent():
    """Test that build_prompt() of the facade equals the user message of the first request."""
    with StubServer(fake_llm) as server:
        generator = SyntheticDataGenerator(LLMConfig(base_url=server.url, model="stub", lockfile=None))
        generator.generate_data(schema=Order, prompt="Orders of a bakery.", sample_size=4)
        sent = server.requests[0][1]["messages"][1]["content"]
    printed = generator.build_prompt(schema=Order, prompt="Orders of a bakery.", sample_size=4)
    assert sent == printed
    assert printed.endswith("Orders of a bakery.\n\nLeave out id, customer_id: they are filled in separately.")
    assert "- status: text (max_length=20) - New, Processing, Shipped, Delivered, Cancelled" in printed


def test_syda_prompt_prints_the_prompts(tmp_path):
    """Test `syda prompt` for models (rows mode) and for a schema file in pools mode (one prompt per group)."""
    runner = CliRunner()
    result = runner.invoke(main, ["prompt", "--models", "examples.crm_models:Base", "--table", "contacts",
                                  "--prompt", "Contacts at B2B software customers."])
    assert result.exit_code == 0, result.output
    sent = LLM(LLMConfig(lockfile=None), prompts={"contacts": "Contacts at B2B software customers."}) \
        .plan(table_spec(Contact), 10, mode="rows").requests[0].prompt
    assert result.output.startswith("# Contact (rows: 10 records per request)\n\n" + sent)
    schema = tmp_path / "people.yaml"
    schema.write_text("tables:\n  people:\n    id: number\n    first_name: first_name\n    last_name: last_name\n"
                      "    city: city\n    state: state\nprompts:\n  people: Dutch people\n")
    result = runner.invoke(main, ["prompt", str(schema), "--mode", "pools"])
    assert result.exit_code == 0, result.output
    assert "# people (pools, person: 10 records per request)" in result.output
    assert "# people (pools, address: 10 records per request)" in result.output
    assert result.output.count("Dutch people") == 2
    assert "Every record must be different from the others" in result.output


def test_syda_prompt_needs_a_schema_or_models():
    """Test the usage error without a schema file or --models."""
    result = CliRunner().invoke(main, ["prompt"])
    assert result.exit_code == 2 and "give a schema file (YAML or JSON) or --models" in result.output


def test_prompts_reach_the_llm_per_table():
    """Test that per-table prompts (keyed by model or table name) end up in their own table's requests."""
    with StubServer(fake_llm) as server:
        llm = LLM(LLMConfig(base_url=server.url, model="stub", lockfile=None, mode="rows"),
                  prompts={Contact: "People at our customers", "orders": "Bakery orders"})
        generate([Contact, Order], {Contact: 2, Order: 2}, llm=llm)
        prompts = [body["messages"][1]["content"] for _, body in server.requests]
    assert sum("People at our customers" in p for p in prompts) == 1
    assert sum("Bakery orders" in p for p in prompts) == 1
