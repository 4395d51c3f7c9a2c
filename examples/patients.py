"""The seed document's basic example: a dict schema, a prompt, 15 rows written to a CSV file.

Apart from the import line the code is the seed document's. Run it from any folder (it writes
``synthetic_output.csv`` there): ``python examples/patients.py``. With ``OPENAI_API_KEY`` /
``OPENAI_BASE_URL`` and ``SYDA_LLM_MODEL`` set, the LLM writes the rows; without, the built-in
generators do.
"""

from sqlalchemy_syda.structured import SyntheticDataGenerator

generator = SyntheticDataGenerator()
schema = {
    'patient_id': 'number',
    'diagnosis_code': 'icd10_code',
    'email': 'email',
    'visit_date': 'date',
    'notes': 'text'
}
prompt = "Generate realistic synthetic patient records with ICD-10 diagnosis codes, emails, visit dates, and clinical notes."

output_path = 'synthetic_output.csv'
generated_file = generator.generate_data(
    schema=schema,
    prompt=prompt,
    sample_size=15,
    output_path=output_path
)
print(f"Synthetic data written to: {generated_file}")
